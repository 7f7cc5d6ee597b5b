/**
 * A splitter of concatenated JSON values over a byte stream: `{…}{…}` or values separated by
 * whitespace and newlines, each possibly spanning many lines, as `evtx_dump -o json` prints
 * Windows event logs. Like `line-reader.ts` it bounds its buffer before it splits: a value
 * is kept only up to `maxBytes`; past that its bytes are scanned and counted but dropped,
 * and the value is reported as too long. The scan works on bytes: every structural
 * character of JSON is ASCII, and no UTF-8 continuation byte can be mistaken for one.
 *
 * Text between values that cannot start a JSON value (a `Record 12` header, a stray word)
 * is one unit too, reported as it is: the decoder that parses it names it as not JSON.
 *
 * @module
 */
import type { Readable } from 'node:stream';

/**
 * One value of the stream, as bytes (not yet parsed). `line` is the 1-based line it starts
 * on; `waits` is true when the stream has no more data read yet after this value.
 */
export type JsonValueBytes =
  | { record: number; line: number; tooLong: false; bytes: Buffer; waits: boolean }
  /** The value had `length` bytes, more than the limit; its bytes were not kept. */
  | { record: number; line: number; tooLong: true; length: number; waits: boolean };

/** Options of {@link readJsonValues}. */
export interface ReadJsonValuesOptions {
  /** Longest value kept, in bytes. */
  maxBytes: number;
  /** Stop reading when aborted (throws the signal's reason). */
  signal?: AbortSignal;
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NL = 0x0a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

/** What the scanner is inside of. */
const BETWEEN = 0; // between values
const NESTED = 1; // inside an object or array (depth > 0), outside strings
const STRING = 2; // inside a string within an object or array
const ESCAPE = 3; // after a backslash inside a string
const BARE = 4; // a bare top-level token (a number, `true`, a stray word): ends at whitespace or a bracket
const TOP_STRING = 5; // a top-level string
const TOP_ESCAPE = 6; // after a backslash inside a top-level string

/**
 * Split a byte stream into concatenated JSON values (1-based record numbers). A value cut
 * off by the end of the stream is yielded as it is, for the parser to report.
 */
export async function* readJsonValues(input: Readable | AsyncIterable<Buffer | string>, options: ReadJsonValuesOptions): AsyncGenerator<JsonValueBytes> {
  const { maxBytes, signal } = options;
  let parts: Buffer[] = [];
  let size = 0; // bytes of the current value seen so far (kept or not)
  let record = 1;
  let line = 1; // line the scanner is on
  let startLine = 1; // line the current value started on
  let mode: number = BETWEEN;
  let depth = 0;

  const emit = (waits: boolean): JsonValueBytes => {
    const value: JsonValueBytes =
      size > maxBytes
        ? { record, line: startLine, tooLong: true, length: size, waits }
        : { record, line: startLine, tooLong: false, bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size), waits };
    record++;
    parts = [];
    size = 0;
    return value;
  };

  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    signal?.throwIfAborted();
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    // Where the current value's bytes begin in this chunk: at 0 when a value goes on from the last chunk.
    let start = mode === BETWEEN ? -1 : 0;
    const keep = (end: number): void => {
      if (start < 0) return;
      const piece = end - start;
      if (size + piece <= maxBytes) parts.push(buf.subarray(start, end));
      else parts = [];
      size += piece;
      start = -1;
    };
    const done: JsonValueBytes[] = [];
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      switch (mode) {
        case BETWEEN:
          if (isSpace(b)) break;
          start = i;
          startLine = line;
          if (b === OPEN_OBJECT || b === OPEN_ARRAY) (mode = NESTED), (depth = 1);
          else if (b === QUOTE) mode = TOP_STRING;
          else mode = BARE;
          break;
        case NESTED:
          if (b === QUOTE) mode = STRING;
          else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
          else if ((b === CLOSE_OBJECT || b === CLOSE_ARRAY) && --depth === 0) {
            keep(i + 1);
            done.push(emit(false));
            mode = BETWEEN;
          }
          break;
        case STRING:
          if (b === BACKSLASH) mode = ESCAPE;
          else if (b === QUOTE) mode = NESTED;
          break;
        case ESCAPE:
          mode = STRING;
          break;
        case TOP_STRING:
          if (b === BACKSLASH) mode = TOP_ESCAPE;
          else if (b === QUOTE) {
            keep(i + 1);
            done.push(emit(false));
            mode = BETWEEN;
          }
          break;
        case TOP_ESCAPE:
          mode = TOP_STRING;
          break;
        case BARE:
          if (isSpace(b) || b === OPEN_OBJECT || b === OPEN_ARRAY) {
            keep(i);
            done.push(emit(false));
            mode = BETWEEN;
            i--; // this byte starts (or separates) what comes next
            continue;
          }
          break;
      }
      if (b === NL) line++;
    }
    keep(buf.length);
    if (done.length > 0) {
      // Nothing more is read yet after the last complete value: say so, so batches go on.
      if (mode === BETWEEN) done[done.length - 1]!.waits = true;
      for (const v of done) {
        yield v;
        signal?.throwIfAborted();
      }
    }
  }
  if (mode !== BETWEEN && (size > 0 || parts.length > 0)) yield emit(true);
}
