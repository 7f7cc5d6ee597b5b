/**
 * The output stage's contract. A sink takes batches of finished events (as a sensor
 * delivers them) and gets them somewhere durable: a file, a JetStream stream, and later
 * Kafka or an OTLP logs endpoint. Every sink counts what it wrote and what it lost.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';

/** Counters every sink keeps (plus its own, by name). */
export interface SinkStats {
  /** Events accepted by `write()`. */
  written: number;
  /** Events the destination confirmed (a file: written to the OS; JetStream: acknowledged). */
  delivered: number;
  /** Events accepted but not yet confirmed (in a spool, in flight). */
  pending: number;
  /** Events dropped by the sink itself (a full spool), also delivered in-band as `sensor.lost`. */
  lost: number;
  /** Anything sink-specific (bytes, rotations, retries, …). */
  [key: string]: number;
}

/**
 * Where events go after the sensor. A sink never blocks a sensor for a slow network:
 * `write` resolves once the batch is safe in the sink's own buffer (a file, a spool), and
 * loss, if a bounded buffer overflows, is counted in {@link SinkStats.lost} and in-band.
 */
export interface Sink {
  /** Sink kind: `file`, `nats`, … */
  readonly kind: string;
  /** Take a batch, in order. Resolves when the sink holds it (not necessarily delivered). */
  write(events: readonly EdrEvent[]): Promise<void>;
  /** Resolves when everything written so far is delivered (or rejects after the sink's timeout). */
  flush(): Promise<void>;
  /** Flush what can be flushed within the sink's close timeout and release everything. Idempotent. */
  close(): Promise<void>;
  /** Current counters. */
  stats(): SinkStats;
}
