/**
 * Reading a foreign log through an {@link ImportFormat}: records framed per the format,
 * bounded before they are split, strict UTF-8, nesting limited, `JSON.parse`d, decoded, and
 * every event the decoder returns validated against the event schema, so that a mapping
 * mistake is one invalid record with its field named, never a bad event passed on.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { InvalidEventError } from '../errors.js';
import { MAX_EVENT_DEPTH, safeParseEvent, tooDeepPath } from '../events/parse.js';
import type { EventDraft } from '../events/schema.js';
import type { ImportFormat, ImportResult } from './import-format.js';
import { readJsonValues } from './json-values.js';
import { readLines } from './line-reader.js';
import { decodeUtf8 } from './utf8.js';

/** One record of an imported input: its events, or why it is not usable. */
export type ImportedRecord =
  | { record: number; line: number; ok: true; events: EventDraft[]; lost?: ImportResult['lost']; waits: boolean }
  | { record: number; line: number; ok: false; error: InvalidEventError; waits: boolean };

/** Options of {@link readImport}. */
export interface ReadImportOptions {
  /** Name of the input in error messages (default: the path, or `input`). */
  inputName?: string;
  /** Stop reading when aborted. */
  signal?: AbortSignal;
  /** Longest record accepted, in bytes. */
  maxRecordBytes: number;
}

/**
 * Read `source` as records of `format`. Never throws for bad content: each bad record is
 * yielded as `{ ok: false, error }` (an {@link InvalidEventError} naming input and line).
 * I/O errors are thrown.
 */
export async function* readImport(source: string | Readable, format: ImportFormat, options: ReadImportOptions): AsyncGenerator<ImportedRecord> {
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const inputName = options.inputName ?? (typeof source === 'string' ? source : 'input');
  const max = options.maxRecordBytes;
  const split = options.signal ? { maxBytes: max, signal: options.signal } : { maxBytes: max };
  const decoder = format.createDecoder();
  let record = 0;
  const units =
    format.framing === 'json-lines'
      ? (async function* () {
          for await (const l of readLines(input, split)) yield l;
        })()
      : readJsonValues(input, split);
  try {
    for await (const unit of units) {
      const { line, waits } = unit;
      const bad = (message: string): ImportedRecord => ({
        record,
        line,
        ok: false,
        waits,
        error: new InvalidEventError([{ path: '', message: `${format.name} record ${record}: ${message}` }], { line, input: inputName }),
      });
      if (unit.tooLong) {
        record++;
        yield bad(`longer than ${max} bytes (${unit.length} bytes; not read)`);
        continue;
      }
      const text = decodeUtf8(unit.bytes);
      if (text.ok && text.text.trim() === '') continue;
      record++;
      if (!text.ok) {
        yield bad(`not UTF-8 (invalid byte 0x${unit.bytes[text.offset]!.toString(16).padStart(2, '0')} at byte ${text.offset + 1})`);
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(text.text);
      } catch (err) {
        yield bad(`not JSON (${(err as Error).message})`);
        continue;
      }
      const deep = tooDeepPath(value);
      if (deep !== undefined) {
        yield bad(`nested deeper than ${MAX_EVENT_DEPTH} levels (at ${deep || 'the top'})`);
        continue;
      }
      let result: ImportResult;
      try {
        result = decoder.decode(value, { input: inputName, record, line });
      } catch (err) {
        yield bad((err as Error).message);
        continue;
      }
      const checked = checkEvents(result.events, record, line, inputName, format.name);
      if (checked) {
        yield { record, line, ok: false, waits, error: checked };
        continue;
      }
      yield { record, line, ok: true, events: result.events, ...(result.lost ? { lost: result.lost } : {}), waits };
    }
  } finally {
    if (typeof source === 'string') input.destroy();
  }
}

/** The first schema problem among a record's events, named with the record, or undefined. */
function checkEvents(events: EventDraft[], record: number, line: number, input: string, format: string): InvalidEventError | undefined {
  for (const [i, draft] of events.entries()) {
    const result = safeParseEvent({ ...draft, seq: 0 }, { line, input });
    if (!result.ok) {
      const at = events.length > 1 ? ` (event ${i + 1} of ${events.length})` : '';
      const issues = result.error.issues.map((issue) => ({ ...issue, message: `${format} record ${record}${at} maps to an invalid event: ${issue.message}` }));
      return new InvalidEventError(issues, { line, input });
    }
  }
  return undefined;
}
