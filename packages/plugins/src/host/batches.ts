/**
 * Group a stream of events into batches for the plugin processes: a batch is sent when it
 * is full, or when it has waited `maxDelayMs` — so a quiet live stream still reaches the
 * plugins promptly, while a busy one is sent in large, cheap batches.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';

/** Options of {@link batches}. */
export interface BatchOptions {
  /** Events per batch at most. */
  batchSize: number;
  /** Longest time the first event of a batch waits for the batch to fill (ms). */
  maxDelayMs: number;
  /** Stop reading when aborted. */
  signal?: AbortSignal | undefined;
}

const TIMEOUT = Symbol('timeout');

/** Yield batches of events from `source` (sync or async iterable). */
export async function* batches(source: AsyncIterable<EdrEvent> | Iterable<EdrEvent>, options: BatchOptions): AsyncGenerator<EdrEvent[]> {
  const it: AsyncIterator<EdrEvent> | Iterator<EdrEvent> =
    Symbol.asyncIterator in source ? (source as AsyncIterable<EdrEvent>)[Symbol.asyncIterator]() : (source as Iterable<EdrEvent>)[Symbol.iterator]();
  let batch: EdrEvent[] = [];
  let next: Promise<IteratorResult<EdrEvent>> | undefined;
  let deadline: Promise<typeof TIMEOUT> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finished = false;
  try {
    while (!options.signal?.aborted) {
      next ??= Promise.resolve(it.next());
      // Only a non-empty batch has a deadline: one timer per batch, not per event.
      if (batch.length > 0 && !deadline) {
        deadline = new Promise((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), options.maxDelayMs)));
      }
      const r = deadline ? await Promise.race([next, deadline]) : await next;
      if (r === TIMEOUT) {
        deadline = undefined;
        yield batch;
        batch = [];
        continue;
      }
      next = undefined;
      if (r.done) {
        finished = true;
        break;
      }
      batch.push(r.value);
      if (batch.length >= options.batchSize) {
        clearTimeout(timer);
        deadline = undefined;
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    clearTimeout(timer);
    if (!finished) await it.return?.();
  }
}
