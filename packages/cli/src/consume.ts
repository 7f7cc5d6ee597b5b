/**
 * The event loop every streaming command shares: iterate a sensor, stop on Ctrl-C,
 * SIGTERM or --duration by closing it cleanly (queued events are still delivered),
 * respect stdout back-pressure, and print the sensor's stats to stderr at the end.
 *
 * @module
 */
import { once } from 'node:events';
import type { EdrEvent, Sensor, SensorStats } from '@edrkit/core';
import { safe } from './pretty.js';

/** Options of {@link consume}. */
export interface ConsumeOptions {
  /** Stop after this many milliseconds. */
  durationMs?: number | undefined;
  /** Called for every event, in order; may be async (it is awaited). */
  onEvent: (event: EdrEvent) => void | Promise<void>;
  /** Where stats and warnings go (default process.stderr). */
  stderr?: NodeJS.WritableStream;
  /** Print the stats line at the end (default true). */
  stats?: boolean;
}

/** How the stream ended. */
export interface ConsumeResult {
  /** Stopped by a signal. */
  interrupted: boolean;
  /** The fatal error that ended the stream, if any. */
  error?: unknown;
  stats: SensorStats;
}

/** Write a line to stdout, waiting when the pipe is full. */
export async function writeLine(out: NodeJS.WritableStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

/** Run the loop until the sensor ends. Never throws: errors come back in the result. */
export async function consume(sensor: Sensor, options: ConsumeOptions): Promise<ConsumeResult> {
  const stderr = options.stderr ?? process.stderr;
  let interrupted = false;
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    interrupted = true;
    if (++signals > 1) {
      stderr.write(`edrkit: second ${name}, exiting now\n`);
      process.exit(130);
    }
    void sensor.close();
  };
  const onPipeError = (err: NodeJS.ErrnoException) => {
    // `edrkit watch | head` closes the pipe: stop quietly, like other Unix tools.
    if (err.code === 'EPIPE') void sensor.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', onPipeError);
  const timer = options.durationMs !== undefined ? setTimeout(() => void sensor.close(), options.durationMs) : undefined;
  sensor.on('warning', (w) => stderr.write(`edrkit: warning: ${safe(w.message)}\n`));
  const started = performance.now();
  let error: unknown;
  try {
    for await (const event of sensor) await options.onEvent(event);
  } catch (err) {
    error = err;
  } finally {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.stdout.off('error', onPipeError);
    await sensor.close().catch((err: unknown) => (error ??= err));
  }
  const stats = sensor.stats();
  if (options.stats !== false) stderr.write(`${statsLine(stats, (performance.now() - started) / 1000)}\n`);
  return { interrupted, stats, ...(error !== undefined ? { error } : {}) };
}

/** One line summarising a sensor's stats. */
export function statsLine(s: SensorStats, seconds: number): string {
  const dropped = s.dropped.kernel + s.dropped.backend + s.dropped.queue;
  const parts = [
    `${s.delivered} events delivered in ${seconds.toFixed(1)}s`,
    `${s.received} received`,
    `${s.filtered} filtered`,
    `${dropped} dropped (kernel ${s.dropped.kernel}, backend ${s.dropped.backend}, queue ${s.dropped.queue})`,
  ];
  if (s.warnings) parts.push(`${s.warnings} warnings`);
  return `edrkit: ${parts.join(', ')}`;
}
