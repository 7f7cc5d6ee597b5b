/**
 * The event loop every streaming command shares: iterate a sensor, stop on Ctrl-C,
 * SIGTERM, SIGHUP, the parent's exit, a closed output pipe or --duration by closing it
 * cleanly (queued events are still delivered), respect stdout back-pressure, and print the
 * sensor's stats to stderr at the end.
 *
 * @module
 */
import { once } from 'node:events';
import { isSensorKind, type EdrEvent, type Sensor, type SensorStats } from '@edrkit/core';
import { safe } from './pretty.js';
import { handOffKernelObjects } from './release.js';

/** Options of {@link consume}. */
export interface ConsumeOptions {
  /** Stop after this many milliseconds. */
  durationMs?: number | undefined;
  /** Called for every event, in order; may be async (it is awaited). Give this or {@link onBatch}. */
  onEvent?: (event: EdrEvent) => void | Promise<void>;
  /**
   * Called with every batch of events the sensor has ready (`sensor.batches()`), in order;
   * may be async (it is awaited before the next batch). It calls `handed` with the events
   * that reached the output, as they do: those (other than the sensor's own) count as
   * written. Takes the place of {@link onEvent} (see `writeBatch`).
   */
  onBatch?: (events: EdrEvent[], handed: (events: readonly EdrEvent[]) => void) => void | Promise<void>;
  /** Called once after the last event, before the stats (e.g. to print pending summaries). */
  onEnd?: () => void | Promise<void>;
  /** Where stats and warnings go (default process.stderr). */
  stderr?: NodeJS.WritableStream;
  /** Print the stats line at the end (default true). */
  stats?: boolean;
  /** How often to check whether the parent process is gone, in ms (default 250; 0 disables). */
  parentPollMs?: number;
  /**
   * Hand the kernel's detach to a background helper so the close returns at once (default
   * true; see `closeFast` in this module). Set false to close in-process and wait for the kernel.
   */
  detachInBackground?: boolean;
}

/** How the stream ended. */
export interface ConsumeResult {
  /** Stopped by a signal or the parent's exit. */
  interrupted: boolean;
  /** The output was closed by the reader (`| head`): a quiet stop, not an error. */
  outputClosed: boolean;
  /** The fatal error that ended the stream, if any. */
  error?: unknown;
  stats: SensorStats;
  /** Events (other than the sensor's own) that `onEvent` handled without throwing, or that `onBatch` handed to the output. */
  written: number;
}

/** Write a line to stdout, waiting when the pipe is full. */
export async function writeLine(out: NodeJS.WritableStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

// The parent when this module was loaded (at start-up): a parent that dies while the sensor is
// still attaching is noticed too.
const startPpid = process.ppid;

const isPipeClosed = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';

/** Options of {@link onStopRequest}. */
export interface StopRequestOptions {
  /** Where the parent-exit notice goes (default process.stderr). */
  stderr?: NodeJS.WritableStream;
  /** How often to check whether the parent process is gone, in ms (default 250; 0 disables). */
  parentPollMs?: number;
}

/**
 * Call `stop` once on SIGINT, SIGTERM, SIGHUP or when the parent process goes away (a
 * supervisor or `npx` that dies without signalling reparents us: a sensor must not outlive
 * whoever started it). A second signal exits at once with 130. `dispose()` removes it all.
 */
export function onStopRequest(stop: () => void, options: StopRequestOptions = {}): { dispose(): void } {
  const stderr = options.stderr ?? process.stderr;
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    if (++signals > 1) {
      stderr.write(`edrkit: second ${name}, exiting now\n`);
      process.exit(130);
    }
    stop();
  };
  const names: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const n of names) process.on(n, onSignal);
  const pollMs = options.parentPollMs ?? 250;
  let parentGone = false;
  const parentWatch =
    pollMs > 0
      ? setInterval(() => {
          if (parentGone || process.ppid === startPpid) return;
          parentGone = true;
          stderr.write(`edrkit: parent process ${startPpid} exited, stopping\n`);
          stop();
        }, pollMs).unref()
      : undefined;
  return {
    dispose() {
      for (const n of names) process.off(n, onSignal);
      if (parentWatch) clearInterval(parentWatch);
    },
  };
}

/**
 * Close a sensor so that the kernel's detach happens off this process's exit: its BPF
 * descriptors go to a background helper first (see release.ts). Resolves when it is closed.
 */
export function closeFast(sensor: Pick<Sensor, 'close'>): Promise<void> {
  const handoff = handOffKernelObjects();
  return sensor.close().finally(() => handoff?.release());
}

/** Run the loop until the sensor ends. Never throws (but for options with neither `onEvent` nor `onBatch`): errors come back in the result. */
export async function consume(sensor: Sensor, options: ConsumeOptions): Promise<ConsumeResult> {
  const { onEvent, onBatch } = options;
  if (!onEvent && !onBatch) throw new TypeError('consume: give onEvent or onBatch');
  const stderr = options.stderr ?? process.stderr;
  let interrupted = false;
  let outputClosed = false;
  let stopping: Promise<void> | undefined;
  // Hand the kernel objects to a helper first (closeFast), so the close and our exit do not
  // wait for the kernel's detach; see release.ts.
  const stop = () => {
    stopping ??= options.detachInBackground === false ? sensor.close() : closeFast(sensor);
  };
  const onPipeError = (err: NodeJS.ErrnoException) => {
    // `edrkit watch | head` closes the pipe: stop quietly, like other Unix tools.
    if (isPipeClosed(err)) {
      outputClosed = true;
      stop();
    }
  };
  process.stdout.on('error', onPipeError);
  const triggers = onStopRequest(() => {
    interrupted = true;
    stop();
  }, { stderr, ...(options.parentPollMs !== undefined ? { parentPollMs: options.parentPollMs } : {}) });
  const timer = options.durationMs !== undefined ? setTimeout(stop, options.durationMs) : undefined;
  sensor.on('warning', (w) => stderr.write(`edrkit: warning: ${safe(w.message)}\n`));
  const started = performance.now();
  let error: unknown;
  let written = 0;
  // The sensor's own events (lost markers, start and stop) are not among `received`.
  const count = (e: EdrEvent) => {
    if (!isSensorKind(e.kind)) written++;
  };
  const handed = (events: readonly EdrEvent[]) => events.forEach(count);
  try {
    for await (const batch of sensor.batches()) {
      // After the reader went away, the rest is drained without writing (counted as unsent).
      if (outputClosed) continue;
      try {
        if (onBatch) {
          await onBatch(batch, handed);
        } else {
          for (const event of batch) {
            if (outputClosed) break;
            await onEvent!(event);
            count(event);
          }
        }
      } catch (err) {
        if (!isPipeClosed(err)) throw err;
        outputClosed = true;
        stop();
      }
    }
    if (!outputClosed) await options.onEnd?.();
  } catch (err) {
    if (isPipeClosed(err)) outputClosed = true;
    else error = err;
  } finally {
    if (timer) clearTimeout(timer);
    triggers.dispose();
    process.stdout.off('error', onPipeError);
    stop();
    await stopping?.catch((err: unknown) => (error ??= err));
  }
  const stats = sensor.stats();
  if (options.stats !== false) stderr.write(`${statsLine(stats, (performance.now() - started) / 1000, written)}\n`);
  return { interrupted, outputClosed, stats, written, ...(error !== undefined ? { error } : {}) };
}

/**
 * One line summarising a sensor's stats that adds up: every event the backend handed over
 * was filtered, delivered (written), dropped by a full queue, or left unsent because the
 * output closed or the stream failed first. Drops before the sensor (kernel ring, backend)
 * never reached it and are listed apart.
 *
 * @param written events the caller actually wrote (default: the sensor's `delivered`).
 */
export function statsLine(s: SensorStats, seconds: number, written: number = s.delivered): string {
  const unsent = s.received - s.filtered - written - s.dropped.queue;
  const parts = [
    `${written} events delivered in ${seconds.toFixed(1)}s`,
    `${s.received} received = ${s.filtered} filtered + ${written} delivered + ${s.dropped.queue} dropped (queue full) + ${unsent} unsent (output closed or stream ended first)`,
    `dropped before the sensor: kernel ${s.dropped.kernel}, backend ${s.dropped.backend}`,
  ];
  if (s.warnings) parts.push(`${s.warnings} warnings`);
  return `edrkit: ${parts.join('; ')}`;
}
