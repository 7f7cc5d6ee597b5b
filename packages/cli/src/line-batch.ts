/**
 * Output lines written per batch, not per event: the lines of a batch of events are joined
 * into chunks of about {@link CHUNK_BYTES} and each chunk is one `write`. One write per line
 * cost more than formatting the line and made `watch` fall behind an open storm (the kernel
 * ring then drops); see docs/performance.md.
 *
 * @module
 */
import { once } from 'node:events';
import type { EdrEvent } from '@edrkit/core';

/** Bytes (UTF-16 code units, close enough) after which a chunk is written without waiting for the batch's end. */
export const CHUNK_BYTES = 64 * 1024;

/** The output text of one event: its line(s), each ending in a newline, or '' for none. */
export type LineFormatter = (event: EdrEvent) => string;

/** Options of {@link writeBatch}. */
export interface WriteBatchOptions {
  /** Called after each chunk reached the output, with the events whose text it carried (in order). */
  handed?: (events: readonly EdrEvent[]) => void;
  /** Chunk size (default {@link CHUNK_BYTES}). */
  chunkBytes?: number;
}

/** The error a closed output gives (as a write to a pipe whose reader went away would). */
function closedOutput(): NodeJS.ErrnoException {
  return Object.assign(new Error('write EPIPE: the output was closed'), { code: 'EPIPE' });
}

/**
 * Write the text of `events`, in order, to `out` in as few writes as the chunk size allows.
 * Back-pressure as with one line per write: after a write that returns false it waits for
 * 'drain' (rejecting with the stream's error, e.g. EPIPE, if that comes first). A chunk
 * counts as handed once `write` accepted it (returned true, or its 'drain' came); when the
 * output is no longer writable the rest is not written and an EPIPE error is thrown.
 */
export async function writeBatch(out: NodeJS.WritableStream, events: readonly EdrEvent[], format: LineFormatter, options: WriteBatchOptions = {}): Promise<void> {
  const limit = options.chunkBytes ?? CHUNK_BYTES;
  let text = '';
  let from = 0;
  const flush = async (to: number) => {
    if (out.writable === false) throw closedOutput();
    if (text.length > 0 && !out.write(text)) await once(out, 'drain');
    text = '';
    options.handed?.(events.slice(from, to));
    from = to;
  };
  for (let i = 0; i < events.length; i++) {
    text += format(events[i]!);
    if (text.length >= limit) await flush(i + 1);
  }
  if (from < events.length) await flush(events.length);
}
