/**
 * Output formats of the CLI: `pretty` (humans), `json` (edrkit JSON Lines, the
 * recording format), `ocsf` and `ecs` (one exported record per line).
 *
 * @module
 */
import { InvalidArgumentError, type EdrEvent } from '@edrkit/core';
import { toECS, toOCSF, type ExportOptions } from '@edrkit/export';
import { EventJson } from './json-line.js';
import { formatPretty } from './pretty.js';

/** Output formats. */
export const FORMATS = ['pretty', 'json', 'ocsf', 'ecs'] as const;
/** An output format. */
export type OutputFormat = (typeof FORMATS)[number];

/** The format to use: the one asked for, else pretty on a terminal and JSON Lines when piped. */
export function pickFormat(requested: string | undefined, isTTY: boolean | undefined, allowed: readonly OutputFormat[] = FORMATS): OutputFormat {
  if (requested === undefined) return isTTY ? 'pretty' : 'json';
  if (!(allowed as readonly string[]).includes(requested)) {
    throw new InvalidArgumentError(`--format must be one of ${allowed.join(', ')}, got '${requested}'`);
  }
  return requested as OutputFormat;
}

/** Format one event as one line (without the newline). */
export function formatEvent(event: EdrEvent, format: OutputFormat, exportOptions?: ExportOptions): string {
  switch (format) {
    case 'pretty':
      return formatPretty(event);
    case 'json':
      return JSON.stringify(event);
    case 'ocsf':
      return JSON.stringify(toOCSF(event, exportOptions));
    case 'ecs':
      return JSON.stringify(toECS(event, exportOptions));
  }
}

/** {@link formatEvent} with its newline: the per-event text `writeBatch` joins into chunks. */
export function lineFormatter(format: OutputFormat, exportOptions?: ExportOptions): (event: EdrEvent) => string {
  if (format === 'json') {
    // JSON.stringify's text, with the shared process objects serialized once per run (json-line.ts).
    const json = new EventJson();
    return (event) => `${json.stringify(event)}\n`;
  }
  return (event) => `${formatEvent(event, format, exportOptions)}\n`;
}
