/**
 * Wire formats of the output stage: edrkit JSON (the recording format), OCSF and ECS, one
 * JSON document per event. The converters are `@edrkit/export`'s.
 *
 * @module
 */
import { InvalidArgumentError, type EdrEvent } from '@edrkit/core';
import { toECS, toOCSF, type ExportOptions } from '@edrkit/export';

/** Formats a sink can write. */
export const SINK_FORMATS = ['json', 'ocsf', 'ecs'] as const;
/** A sink format. */
export type SinkFormat = (typeof SINK_FORMATS)[number];

/** Check a format name; throws `ERR_INVALID_ARGUMENT` naming the choices. */
export function checkSinkFormat(format: string, option = 'format'): SinkFormat {
  if (!(SINK_FORMATS as readonly string[]).includes(format)) {
    throw new InvalidArgumentError(`${option}: '${format}' is not a sink format; choose one of ${SINK_FORMATS.join(', ')}`);
  }
  return format as SinkFormat;
}

/** One event as one JSON document (no newline). */
export function encodeEvent(event: EdrEvent, format: SinkFormat, exportOptions?: ExportOptions): string {
  switch (format) {
    case 'json':
      return JSON.stringify(event);
    case 'ocsf':
      return JSON.stringify(toOCSF(event, exportOptions));
    case 'ecs':
      return JSON.stringify(toECS(event, exportOptions));
  }
}
