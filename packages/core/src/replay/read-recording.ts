/**
 * Reading edrkit recordings: JSON Lines, one v1 event per line. Every line is validated;
 * a bad line is reported with its line number and the field at fault.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { InvalidEventError } from '../errors.js';
import { safeParseEvent } from '../events/parse.js';
import type { EdrEvent } from '../events/schema.js';

/** One line of a recording: the event, or why the line is not one. */
export type RecordingLine =
  | { line: number; ok: true; event: EdrEvent }
  | { line: number; ok: false; error: InvalidEventError };

/** Options of {@link readRecording}. */
export interface ReadRecordingOptions {
  /** Name of the input in error messages (default: the path, or `input`). */
  inputName?: string;
  /** Stop reading when aborted. */
  signal?: AbortSignal;
}

/** Longest line accepted (bytes of UTF-16 text); longer lines are reported, not parsed. */
export const MAX_RECORDING_LINE = 16 * 1024 * 1024;

/**
 * Read a recording line by line. Never throws for bad content: each bad line is yielded
 * as `{ ok: false, error }` (an {@link InvalidEventError} with `line` and `input`), so the
 * caller decides to skip or stop. Blank lines are ignored. I/O errors are thrown.
 */
export async function* readRecording(
  source: string | Readable,
  options: ReadRecordingOptions = {},
): AsyncGenerator<RecordingLine> {
  const input = typeof source === 'string' ? createReadStream(source, { encoding: 'utf8' }) : source;
  const inputName = options.inputName ?? (typeof source === 'string' ? source : 'input');
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of lines) {
      n++;
      options.signal?.throwIfAborted();
      if (text.trim() === '') continue;
      yield parseRecordingLine(text, n, inputName);
    }
  } finally {
    lines.close();
    if (typeof source === 'string') input.destroy();
  }
}

/** Parse one line of a recording (exported for tests and other readers). */
export function parseRecordingLine(text: string, line: number, inputName: string): RecordingLine {
  const where = { line, input: inputName };
  if (text.length > MAX_RECORDING_LINE) {
    return { line, ok: false, error: new InvalidEventError([{ path: '', message: `line is longer than ${MAX_RECORDING_LINE} characters` }], where) };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { line, ok: false, error: new InvalidEventError([{ path: '', message: `not JSON (${(err as Error).message})` }], where) };
  }
  const result = safeParseEvent(value, where);
  return result.ok ? { line, ok: true, event: result.event } : { line, ok: false, error: result.error };
}
