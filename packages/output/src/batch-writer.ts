/**
 * Events one at a time in, batches out: a sink writes (and a spool fsyncs) per batch, so a
 * loop that sees single events collects them for at most `maxDelayMs` or `maxEvents`.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';
import type { Sink } from './sink.js';

/** Options of {@link BatchWriter}. */
export interface BatchWriterOptions {
  /** Write once this many events are waiting (default 256). */
  maxEvents?: number;
  /** Write what is waiting after this long, in ms (default 50). */
  maxDelayMs?: number;
}

/** Collects events into batches for a {@link Sink}. Errors of a background write surface on the next `add` or `close`. */
export class BatchWriter {
  private buffer: EdrEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    readonly sink: Sink,
    private readonly options: BatchWriterOptions = {},
  ) {}

  /** Add one event; resolves at once unless a full batch is being written (back-pressure). */
  async add(event: EdrEvent): Promise<void> {
    if (this.failure) throw this.failure;
    this.buffer.push(event);
    if (this.buffer.length >= (this.options.maxEvents ?? 256)) await this.writeOut();
    else this.timer ??= setTimeout(() => void this.writeOut().catch((err: unknown) => (this.failure ??= err)), this.options.maxDelayMs ?? 50);
  }

  /** Write what is waiting and close the sink. */
  async close(): Promise<void> {
    try {
      await this.writeOut();
      if (this.failure) throw this.failure;
    } finally {
      await this.sink.close();
    }
  }

  private writeOut(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    this.inflight = this.inflight.then(() => (batch.length ? this.sink.write(batch) : undefined));
    return this.inflight;
  }
}
