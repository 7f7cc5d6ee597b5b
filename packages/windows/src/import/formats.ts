/**
 * The Windows log import formats, as `edrkit replay` / `edrkit detect --replay`
 * `--input-format` take them:
 * - `evtx-json`: `evtx_dump -o json` output (omerbenamram/evtx): concatenated, pretty-printed
 *   `{ "Event": { "System": …, "EventData": … } }` objects;
 * - `winlog-json`: flat Windows event JSON Lines as NXLog and winlogbeat-style exports write
 *   them (`SourceName`, `EventID`, the EventData fields at top level), e.g. the OTRF datasets.
 *
 * Imported events have `platform: 'windows'`, `source: 'replay'` (they come from a log, not a
 * live backend of this host) and the record as written under `raw.windows`.
 *
 * @module
 */
import type { ImportFormat, ImportResult } from '@edrkit/core';
import { mapWindowsRecord } from './map-record.js';
import { fromEvtxJson, fromWinlogJson, type WindowsRecord } from './windows-record.js';

function format(name: string, description: string, framing: ImportFormat['framing'], read: (value: unknown) => WindowsRecord): ImportFormat {
  return {
    name,
    description,
    framing,
    createDecoder: () => ({
      decode: (record: unknown): ImportResult => ({ events: mapWindowsRecord(read(record)) }),
    }),
  };
}

/** `evtx_dump -o json` output: concatenated `{"Event": {"System", "EventData"}}` objects. */
export const evtxJsonFormat: ImportFormat = format('evtx-json', 'Windows event logs as evtx_dump -o json prints them', 'json-values', fromEvtxJson);

/** Flat Windows event JSON Lines (`SourceName`, `EventID`, fields at top level; NXLog, OTRF). */
export const winlogJsonFormat: ImportFormat = format('winlog-json', 'Windows events as flat JSON Lines (SourceName, EventID, fields at top level)', 'json-lines', fromWinlogJson);
