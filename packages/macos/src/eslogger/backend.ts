/**
 * The `macos-eslogger` backend: runs Apple's `eslogger` with the ES events the sensor's kinds
 * need and maps its JSON Lines. No entitlement is needed (eslogger has Apple's); root and Full
 * Disk Access are. Reading is bounded (core's import reader: a line is cut off at
 * `maxLineBytes` before it is kept) and paced by the sensor: between batches the backend waits
 * for `sink.ready()`, so a slow consumer stops the reading, the pipe fills, eslogger blocks,
 * and Endpoint Security drops messages itself — which its sequence numbers report, and which
 * become `sensor.lost` here. Memory stays bounded and nothing is lost silently.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { InvalidArgumentError, probeError, type Backend, type BackendProbe, type BackendStartOptions, type BackendStats, type EventSink } from '@edrkit/core';
import { realHost, type MacosHostApi } from '../host.js';
import { esloggerExitError } from '../es-remedies.js';
import { pumpRecords } from '../record-pump.js';
import { EsMessageDecoder } from './decoder.js';
import { esEventsFor } from './event-types.js';
import { esloggerPath, parseEsloggerOptions, type EsloggerOptions } from './options.js';
import { probeEslogger } from './probe.js';

const STDERR_KEEP = 8192;

/** Streams Endpoint Security events through Apple's eslogger. One instance serves one sensor. */
export class EsloggerBackend implements Backend {
  readonly id = 'macos-eslogger';
  readonly platform = 'macos' as const;
  private readonly options: EsloggerOptions;
  private child: ChildProcess | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private decoder: EsMessageDecoder | undefined;
  private readonly counters = { received: 0, lost: 0, malformed: 0, unmapped: 0, esDropped: 0 };

  constructor(
    options: EsloggerOptions = {},
    private readonly host: MacosHostApi = realHost,
  ) {
    this.options = parseEsloggerOptions(options);
  }

  probe(): Promise<BackendProbe> {
    return probeEslogger(this.options, this.host);
  }

  async start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    if (this.running) throw new InvalidArgumentError('EsloggerBackend: already started; create one backend per sensor');
    const probe = await this.probe();
    if (!probe.available) throw probeError(probe);
    const events = esEventsFor(options.kinds.filter((k) => probe.kinds[k]?.supported));
    if (events.length === 0) throw new InvalidArgumentError(`macos-eslogger: none of the kinds asked for (${options.kinds.join(', ')}) has an Endpoint Security event on this host`);
    const child = spawn(esloggerPath(this.options), ['--format', 'json', ...events], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => (stderr = (stderr + d).slice(-STDERR_KEEP)));
    const spawned = await Promise.race([once(child, 'spawn').then(() => undefined), once(child, 'error').then(([e]) => e as NodeJS.ErrnoException)]);
    if (spawned) throw esloggerExitError(`could not be started (${spawned.code ?? spawned.message})`, '');
    const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
    child.on('error', () => {}); // reported through 'close'
    this.running = this.pump(child, sink, options.signal)
      .then(async () => {
        const [code, signal] = await closed;
        if (!this.stopping && !options.signal.aborted) sink.error(esloggerExitError(signal ? `was killed by ${signal}` : `exited with code ${code}`, stderr));
      })
      .catch((err: Error) => {
        if (!this.stopping && !options.signal.aborted) sink.error(err);
      });
    options.signal.addEventListener('abort', () => void this.stop(), { once: true });
  }

  /** Read eslogger's output until it ends, batch by batch, waiting for the sensor between batches. */
  private pump(child: ChildProcess, sink: EventSink, signal: AbortSignal): Promise<void> {
    const decoder = new EsMessageDecoder({ source: this.id });
    this.decoder = decoder;
    return pumpRecords(child.stdout!, decoder, sink, this.counters, {
      inputName: 'eslogger',
      batchSize: this.options.batchSize ?? 256,
      maxLineBytes: this.options.maxLineBytes ?? 16 * 1024 * 1024,
      signal,
      pace: true,
      stopping: () => this.stopping,
    });
  }

  async stop(): Promise<void> {
    if (this.stopping) return this.running;
    this.stopping = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), this.options.stopTimeoutMs ?? 2000);
      timer.unref();
      child.stdout?.destroy(); // a paused reader must not keep eslogger blocked on a full pipe
      await once(child, 'close').catch(() => {});
      clearTimeout(timer);
    }
    await this.running;
  }

  stats(): BackendStats {
    const byType = this.decoder ? Object.fromEntries([...this.decoder.sequence.lostByType].map(([t, n]) => [`esDropped.${t}`, n])) : {};
    return { ...this.counters, ...byType };
  }
}
