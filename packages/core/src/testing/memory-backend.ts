/**
 * A backend driven by the test itself: `emit()` pushes events, `loseKernel()` reports
 * kernel-side loss. For testing consumers of the Sensor API without a kernel.
 *
 * @module
 */
import { allKinds, type Backend, type BackendProbe, type BackendStats, type EventSink } from '../backend.js';
import { OBSERVABLE_KINDS, type EventDraft, type Platform } from '../events/schema.js';

/** A backend whose events come from the test. */
export class MemoryBackend implements Backend {
  readonly id = 'replay';
  readonly platform: Platform;
  private sink: EventSink | undefined;
  private readonly counters = { received: 0, lost: 0 };
  /** True between start() and stop(). */
  running = false;

  constructor(options: { platform?: Platform } = {}) {
    this.platform = options.platform ?? 'linux';
  }

  async probe(): Promise<BackendProbe> {
    return { id: this.id, available: true, kinds: allKinds({ supported: true }, OBSERVABLE_KINDS) };
  }

  async start(_options: unknown, sink: EventSink): Promise<void> {
    this.sink = sink;
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  stats(): BackendStats {
    return { ...this.counters };
  }

  /** Push a batch as the backend's thread would. */
  emit(events: readonly EventDraft[]): void {
    if (!this.sink) throw new Error('MemoryBackend: not started');
    this.counters.received += events.length;
    this.sink.push(events);
  }

  /** Report events lost before the sensor (e.g. a full kernel ring). */
  loseKernel(count: number, reason = 'ring buffer full'): void {
    this.counters.lost += count;
    this.sink?.lost(count, reason, 'kernel');
  }

  /** End the stream. */
  end(): void {
    this.sink?.end();
  }

  /** Wait until the sensor's queues have room. */
  ready(): Promise<void> {
    return this.sink ? this.sink.ready() : Promise.resolve();
  }
}

/** A process.exec draft for tests. */
export function execDraft(pid: number, exe: string, args: string[] = [exe], extra: { ppid?: number; time?: number; uid?: number } = {}): EventDraft {
  return {
    kind: 'process.exec',
    time: extra.time ?? Date.now(),
    platform: 'linux',
    source: 'linux-ebpf',
    process: { pid, ppid: extra.ppid ?? 1, uid: extra.uid ?? 0, exe, args, cmdline: args.join(' ') },
  };
}
