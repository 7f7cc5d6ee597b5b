/**
 * Reading edrkit recordings: JSON Lines, one v1 event per line. Every line is validated;
 * a bad line is reported with its line number and the field at fault. Recordings come
 * from other machines, so a line is bounded before it is split off the stream (see
 * `line-reader.ts`), must be valid UTF-8, and may not nest deeper than
 * {@link MAX_EVENT_DEPTH}: each of these is one invalid line, never the end of the stream.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { InvalidEventError } from '../errors.js';
import { MAX_EVENT_DEPTH, safeParseEvent } from '../events/parse.js';
import type { EdrEvent } from '../events/schema.js';
import { readLines } from './line-reader.js';
import { decodeUtf8 } from './utf8.js';

/**
 * One line of a recording: the event, or why the line is not one. `waits` (from
 * {@link readRecording}) is true when the next line has to wait for more input.
 */
export type RecordingLine =
  | { line: number; ok: true; event: EdrEvent; waits?: boolean }
  | { line: number; ok: false; error: InvalidEventError; waits?: boolean };

/** Options of {@link readRecording}. */
export interface ReadRecordingOptions {
  /** Name of the input in error messages (default: the path, or `input`). */
  inputName?: string;
  /** Stop reading when aborted. */
  signal?: AbortSignal;
  /** Longest line accepted, in bytes (default {@link MAX_RECORDING_LINE}). */
  maxLineBytes?: number;
}

/** Longest line accepted by default, in bytes; longer lines are reported, not kept or parsed. */
export const MAX_RECORDING_LINE = 16 * 1024 * 1024;

export { MAX_EVENT_DEPTH };

/**
 * Read a recording line by line. Never throws for bad content: each bad line is yielded
 * as `{ ok: false, error }` (an {@link InvalidEventError} with `line` and `input`), so the
 * caller decides to skip or stop. Blank lines are ignored. I/O errors are thrown.
 */
export async function* readRecording(
  source: string | Readable,
  options: ReadRecordingOptions = {},
): AsyncGenerator<RecordingLine> {
  const input = typeof source === 'string' ? createReadStream(source) : source;
  const inputName = options.inputName ?? (typeof source === 'string' ? source : 'input');
  const maxBytes = options.maxLineBytes ?? MAX_RECORDING_LINE;
  try {
    for await (const l of readLines(input, { maxBytes, ...(options.signal ? { signal: options.signal } : {}) })) {
      const waits = l.waits;
      if (l.tooLong) {
        yield { ...invalidLine(l.line, inputName, `line is longer than ${maxBytes} bytes (${l.length} bytes; not read)`), waits };
        continue;
      }
      const text = decodeUtf8(l.bytes);
      if (!text.ok) {
        yield { ...invalidLine(l.line, inputName, `not UTF-8 (invalid byte 0x${l.bytes[text.offset]!.toString(16).padStart(2, '0')} at byte ${text.offset + 1} of the line)`), waits };
        continue;
      }
      if (text.text.trim() === '') continue;
      yield { ...parseRecordingLine(text.text, l.line, inputName), waits };
    }
  } finally {
    if (typeof source === 'string') input.destroy();
  }
}

function invalidLine(line: number, input: string, message: string): RecordingLine {
  return { line, ok: false, error: new InvalidEventError([{ path: '', message }], { line, input }) };
}

/**
 * Parse one line of a recording (exported for tests and other readers). The line's
 * length and nesting are checked before anything recursive touches it.
 */
export function parseRecordingLine(text: string, line: number, inputName: string): RecordingLine {
  const where = { line, input: inputName };
  if (text.length > MAX_RECORDING_LINE) {
    return invalidLine(line, inputName, `line is longer than ${MAX_RECORDING_LINE} characters`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return invalidLine(line, inputName, `not JSON (${(err as Error).message})`);
  }
  const result = safeParseEvent(value, where);
  return result.ok ? { line, ok: true, event: result.event } : { line, ok: false, error: result.error };
}
