/**
 * Import formats: foreign logs (Windows event logs, eslogger output, …) read by the replay
 * backend as if they were recordings. A format says how records are framed in the byte
 * stream and how one parsed record becomes edrkit events; the backend does the bounded
 * reading, UTF-8 and depth checks, JSON parsing and schema validation, so a format's decoder
 * only maps. Platform packages (`@edrkit/windows`, `@edrkit/macos`) provide formats; core
 * knows none of them.
 *
 * @module
 */
import type { EventDraft } from '../events/schema.js';

/** How the records of an input are framed. */
export type ImportFraming =
  /** One JSON value per line (JSON Lines). */
  | 'json-lines'
  /** Concatenated JSON values, each possibly spanning lines (as `evtx_dump -o json` prints). */
  | 'json-values';

/** Where a record is in its input, for error messages. */
export interface ImportRecordLocation {
  /** The input's name (file path, `stdin`). */
  input: string;
  /** 1-based record number in the input. */
  record: number;
  /** 1-based line the record starts on. */
  line: number;
}

/** What one record decodes to. */
export interface ImportResult {
  /** The events (without `seq`: the sensor assigns it). Empty for a record type the format does not map. */
  events: EventDraft[];
  /** Events the source itself says were lost before this record (a sequence-number gap): reported as `sensor.lost`. */
  lost?: { count: number; reason: string };
}

/** Decodes the records of one input; it may keep state between records (sequence numbers, caches). */
export interface ImportDecoder {
  /**
   * Decode one parsed record. Throw an `Error` naming the problem for a record that cannot
   * be decoded: the backend reports it as `ERR_INVALID_EVENT` with the input and record
   * number, and applies its `onInvalid` policy.
   */
  decode(record: unknown, where: ImportRecordLocation): ImportResult;
}

/** A foreign log format that {@link ReplayBackend} can import. */
export interface ImportFormat {
  /** Name, as `--input-format` takes it (`evtx-json`, `eslogger`). */
  readonly name: string;
  /** One line for help output. */
  readonly description: string;
  /** How records are framed in the input. */
  readonly framing: ImportFraming;
  /** A fresh decoder for one input. */
  createDecoder(): ImportDecoder;
}
