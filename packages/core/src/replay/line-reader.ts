/**
 * A line splitter over a byte stream that bounds its buffer before it splits: a line is
 * collected only up to `maxBytes`; past that its bytes are counted and dropped until the
 * next newline, and the line is reported as too long. So a stream with no newline at all
 * (a 600 MB blob on stdin) costs at most `maxBytes` plus one chunk of memory, and the lines
 * before and after it come through unchanged. (`readline` builds the whole line as one
 * string first, which ends in `RangeError: Invalid string length`.)
 *
 * @module
 */
import type { Readable } from 'node:stream';

/**
 * One line of a byte stream, without its `\n` (and a `\r` before it). `waits` is true on
 * the last line of the data read so far: the next line has to wait for more input, so a
 * consumer that batches should hand on what it has (a live pipe may pause for long).
 */
export type ByteLine =
  | { line: number; tooLong: false; bytes: Buffer; waits: boolean }
  /** The line had `length` bytes, more than the limit; its bytes were not kept. */
  | { line: number; tooLong: true; length: number; waits: boolean };

/** Options of {@link readLines}. */
export interface ReadLinesOptions {
  /** Longest line kept, in bytes. */
  maxBytes: number;
  /** Stop reading when aborted (throws the signal's reason). */
  signal?: AbortSignal;
}

const NL = 0x0a;
const CR = 0x0d;

function finish(parts: Buffer[], size: number): Buffer {
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
  return bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.subarray(0, bytes.length - 1) : bytes;
}

/**
 * Split a byte stream into lines (1-based numbers; a last line without `\n` counts too).
 * String chunks (a stream with an encoding set) are read as their UTF-8 bytes.
 */
export async function* readLines(input: Readable | AsyncIterable<Buffer | string>, options: ReadLinesOptions): AsyncGenerator<ByteLine> {
  const { maxBytes, signal } = options;
  // One byte more than the limit is kept: the `\r` of a `\r\n` ending, dropped later.
  const keep = maxBytes + 1;
  let parts: Buffer[] = [];
  let size = 0; // bytes of the current line seen so far (kept or not)
  let line = 1;
  const emit = (waits: boolean): ByteLine => {
    if (size > keep) return { line, tooLong: true, length: size, waits };
    const bytes = finish(parts, size);
    return bytes.length <= maxBytes ? { line, tooLong: false, bytes, waits } : { line, tooLong: true, length: size, waits };
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    signal?.throwIfAborted();
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const lastNl = buf.lastIndexOf(NL);
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(NL, start);
      const end = nl < 0 ? buf.length : nl;
      const piece = end - start;
      // Past the limit the line's bytes are only counted (size only grows, so this stays so).
      if (size + piece <= keep) parts.push(buf.subarray(start, end));
      else parts = [];
      size += piece;
      if (nl < 0) break;
      yield emit(nl === lastNl);
      line++;
      parts = [];
      size = 0;
      start = nl + 1;
      signal?.throwIfAborted();
    }
  }
  if (size > 0) yield emit(true);
}
