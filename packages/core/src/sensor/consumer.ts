/**
 * One async-iterator consumer of a sensor, with its own bounded queue. Shaped like
 * Node's `events.on(emitter, name, { signal })`: `for await` over it, abort with a
 * signal (the loop then throws an `AbortError`), or `break` to detach.
 *
 * @module
 */
import { AbortError, EdrkitError } from '../errors.js';
import type { EdrEvent } from '../events/schema.js';
import { EventQueue } from './event-queue.js';

/** Hooks a consumer uses to talk back to its sensor. */
export interface ConsumerHost {
  /** Called when the consumer takes an event (for stats and producer back-pressure). */
  taken(event: EdrEvent): void;
  /** Called once when the consumer goes away (return, abort, error). */
  detach(consumer: Consumer): void;
}

/** An async iterator over a sensor's events. */
export class Consumer implements AsyncIterableIterator<EdrEvent> {
  private waiting: { resolve: (r: IteratorResult<EdrEvent>) => void; reject: (e: unknown) => void } | undefined;
  private ended = false;
  private failure: unknown;
  private detached = false;
  private readonly onAbort: () => void;

  constructor(
    readonly queue: EventQueue,
    private readonly host: ConsumerHost,
    private readonly signal?: AbortSignal,
  ) {
    this.onAbort = () => this.fail(new AbortError(undefined, { cause: signal?.reason }), true);
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Offer an event; wakes a waiting `next()`. */
  offer(event: EdrEvent): void {
    if (this.ended || this.failure !== undefined) return;
    const r = this.queue.push(event);
    if (r === 'overflow') {
      this.fail(
        new EdrkitError(
          'ERR_QUEUE_OVERFLOW',
          `consumer queue overflowed (maxQueue=${this.queue.capacity}, overflow='error'); read faster, raise maxQueue, or choose overflow 'drop-newest'/'drop-oldest'`,
        ),
        false,
      );
      return;
    }
    this.wake();
  }

  /** No more events will come; finish after the queue drains. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  /**
   * End with an error. `now` (abort) throws at the next `next()`; otherwise queued
   * events are delivered first, so nothing already accepted is lost.
   */
  fail(err: unknown, now: boolean): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    if (now) this.queue.clear();
    this.wake();
  }

  async next(): Promise<IteratorResult<EdrEvent>> {
    const item = this.take();
    if (item) return item;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  /**
   * Move events that are already queued into `out` until it holds `max`, without waiting
   * (possibly none). Each counts as taken, exactly as if `next()` had returned it. A failure
   * or the end is not reported here: the next `next()` reports it once the queue is empty.
   */
  takeQueued(max: number, out: EdrEvent[] = []): EdrEvent[] {
    while (out.length < max) {
      const event = this.queue.shift();
      if (!event) break;
      this.host.taken(event);
      out.push(event);
    }
    return out;
  }

  async return(): Promise<IteratorResult<EdrEvent>> {
    this.ended = true;
    this.queue.clear();
    this.cleanup();
    return { done: true, value: undefined };
  }

  async throw(err?: unknown): Promise<IteratorResult<EdrEvent>> {
    this.cleanup();
    throw err;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The next settled result if one is available without waiting. */
  private take(): IteratorResult<EdrEvent> | undefined {
    const event = this.queue.shift();
    if (event) {
      this.host.taken(event);
      return { done: false, value: event };
    }
    if (this.failure !== undefined) {
      this.cleanup();
      throw this.failure;
    }
    if (this.ended) {
      this.cleanup();
      return { done: true, value: undefined };
    }
    return undefined;
  }

  private wake(): void {
    const w = this.waiting;
    if (!w) return;
    let result: IteratorResult<EdrEvent> | undefined;
    try {
      result = this.take();
    } catch (err) {
      this.waiting = undefined;
      w.reject(err);
      return;
    }
    if (result) {
      this.waiting = undefined;
      w.resolve(result);
    }
  }

  private cleanup(): void {
    if (this.detached) return;
    this.detached = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.host.detach(this);
  }
}
