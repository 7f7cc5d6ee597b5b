/**
 * One hosted plugin: its queue of batches, its current child process, and the supervision
 * policy — restart with exponential backoff, quarantine after N failures in a window, and
 * restore of the last-known-good version when the trust store has one.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';
import { loadPluginPackage, resolvePluginConfig, type PluginPackage } from '../package/plugin-package.js';
import type { TrustStore } from '../trust/trust-store.js';
import { AlertSchema } from './messages.js';
import { permissionFlag } from './node-flags.js';
import { PluginWorker, WorkerFailure, type WorkerLimits } from './plugin-worker.js';
import type { PluginHostEvents, PluginState, PluginStats } from './types.js';

/** Supervision policy of a slot. */
export interface SlotPolicy extends WorkerLimits {
  /** Failures within {@link failureWindowMs} that quarantine the plugin. */
  maxFailures: number;
  failureWindowMs: number;
  /** First restart delay; doubles with each failure in the window. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Batches queued per plugin before the oldest is dropped (and counted). */
  maxQueuedBatches: number;
  /** Consecutive clean batches after which a version becomes last-known-good. */
  goodAfterBatches: number;
}

type Emit = <K extends keyof PluginHostEvents>(name: K, ...args: PluginHostEvents[K]) => void;

interface QueuedBatch {
  events: readonly EdrEvent[];
  done: () => void;
}

/** A plugin under supervision. */
export class PluginSlot {
  #pkg: PluginPackage;
  #config: unknown;
  readonly #configOverride: unknown;
  readonly #policy: SlotPolicy;
  readonly #trustStore: TrustStore | undefined;
  readonly #emit: Emit;
  #kinds: ReadonlySet<string>;
  #worker: PluginWorker | undefined;
  #state: PluginState = 'starting';
  #queue: QueuedBatch[] = [];
  #pumping = false;
  #failureTimes: number[] = [];
  #restartAt = 0;
  #cleanBatches = 0;
  #stats: Omit<PluginStats, 'plugin' | 'version' | 'digest' | 'state' | 'rss' | 'sandbox'> = {
    batches: 0,
    events: 0,
    alerts: 0,
    eventErrors: 0,
    failures: 0,
    restarts: 0,
    lostEvents: 0,
    skippedEvents: 0,
    invalidAlerts: 0,
    lastFailure: undefined,
  };

  constructor(pkg: PluginPackage, config: unknown, policy: SlotPolicy, trustStore: TrustStore | undefined, emit: Emit) {
    this.#pkg = pkg;
    this.#configOverride = config;
    this.#config = resolvePluginConfig(pkg.manifest, config);
    this.#policy = policy;
    this.#trustStore = trustStore;
    this.#emit = emit;
    this.#kinds = new Set(pkg.manifest.kinds);
  }

  /** Plugin name. */
  get name(): string {
    return this.#pkg.manifest.name;
  }

  /** Current state. */
  get state(): PluginState {
    return this.#state;
  }

  /** Start the first process. A failure is reported (and retried on the next batch), not thrown. */
  async start(): Promise<void> {
    await this.#startWorker();
  }

  /** Queue the events of `batch` this plugin subscribes to; resolves once handled, failed or dropped. */
  deliver(batch: readonly EdrEvent[]): Promise<void> {
    const events = batch.filter((e) => this.#kinds.has(e.kind));
    if (events.length === 0) return Promise.resolve();
    if (this.#state === 'quarantined' || this.#state === 'stopped') {
      this.#stats.skippedEvents += events.length;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      this.#queue.push({ events, done: resolve });
      if (this.#queue.length > this.#policy.maxQueuedBatches) this.#drop(this.#queue.shift());
      void this.#pump();
    });
  }

  /** Stop the plugin process; queued batches are dropped and counted. */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    for (const item of this.#queue.splice(0)) this.#drop(item);
    await this.#worker?.kill();
  }

  /** Counters and state. */
  stats(): PluginStats {
    return {
      plugin: this.#pkg.manifest.name,
      version: this.#pkg.manifest.version,
      digest: this.#pkg.digest,
      state: this.#state,
      rss: this.#worker?.rss ?? 0,
      sandbox: this.#policy.sandbox ? permissionFlag() : undefined,
      ...this.#stats,
    };
  }

  #drop(item: QueuedBatch | undefined): void {
    if (!item) return;
    this.#stats.lostEvents += item.events.length;
    item.done();
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0 && this.#state !== 'quarantined' && this.#state !== 'stopped') {
        if (this.#state !== 'running') {
          await this.#startWorker();
          continue;
        }
        const item = this.#queue.shift() as QueuedBatch;
        const worker = this.#worker as PluginWorker;
        try {
          await worker.runBatch(item.events);
          this.#stats.batches++;
          this.#stats.events += item.events.length;
          if (++this.#cleanBatches === this.#policy.goodAfterBatches) {
            this.#trustStore?.markGood(this.#pkg.manifest.name, this.#pkg.manifest.version);
          }
        } catch (error) {
          await this.#failed(error, item.events.length);
        } finally {
          item.done();
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  async #startWorker(): Promise<void> {
    const wait = this.#restartAt - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (this.#state === 'stopped' || this.#state === 'quarantined') return;
    const { name, version } = this.#pkg.manifest;
    const worker = new PluginWorker(this.#pkg, this.#config, this.#policy, {
      alert: (alert, event) => {
        const parsed = AlertSchema.safeParse(alert);
        if (!parsed.success) {
          this.#stats.invalidAlerts++;
          this.#emit('log', { plugin: name, level: 'warn', message: `invalid alert refused: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'alert'}: ${i.message}`).join('; ')}` });
          return;
        }
        this.#stats.alerts++;
        this.#emit('alert', { plugin: name, version, alert: parsed.data, event });
      },
      error: (error, event) => {
        this.#stats.eventErrors++;
        this.#emit('eventError', { plugin: name, version, message: error.message, stack: error.stack, event });
      },
      log: (level, message) => this.#emit('log', { plugin: name, level, message }),
    });
    this.#worker = worker;
    this.#state = 'starting';
    try {
      await worker.start();
      if ((this.#state as PluginState) === 'stopped') {
        await worker.kill();
        return;
      }
      this.#state = 'running';
      this.#cleanBatches = 0;
      // A later death between batches (e.g. a timer in the plugin calling process.exit) is a failure too.
      void worker.exited.then((failure) => {
        if (this.#worker === worker && this.#state === 'running' && !this.#pumping) void this.#failed(failure, 0);
      });
    } catch (error) {
      await this.#failed(error, 0);
    }
  }

  async #failed(error: unknown, lostEvents: number): Promise<void> {
    const failure = error instanceof WorkerFailure ? error : new WorkerFailure('crash', String(error));
    await this.#worker?.kill(failure);
    if (this.#state === 'stopped') return;
    const now = Date.now();
    this.#failureTimes = [...this.#failureTimes.filter((t) => now - t < this.#policy.failureWindowMs), now];
    const count = this.#failureTimes.length;
    this.#stats.failures++;
    this.#stats.lostEvents += lostEvents;
    this.#stats.lastFailure = { reason: failure.reason, message: failure.message, at: new Date(now).toISOString() };
    const quarantine = count >= this.#policy.maxFailures;
    const delay = Math.min(this.#policy.backoffMs * 2 ** (count - 1), this.#policy.maxBackoffMs);
    const { name, version } = this.#pkg.manifest;
    this.#emit('failure', {
      plugin: name,
      version,
      reason: failure.reason,
      message: failure.message,
      failuresInWindow: count,
      lostEvents,
      willRestart: !quarantine,
      restartInMs: quarantine ? undefined : delay,
    });
    if (quarantine) {
      this.#quarantine(`${count} failures within ${this.#policy.failureWindowMs} ms; last: ${failure.reason}: ${failure.message}`);
      return;
    }
    this.#state = 'restarting';
    this.#restartAt = now + delay;
    this.#stats.restarts++;
  }

  #quarantine(reason: string): void {
    const { name, version } = this.#pkg.manifest;
    const digest = this.#pkg.digest;
    this.#trustStore?.quarantine({ name, version, digest, reason });
    const restored = this.#restoreLastKnownGood(version);
    this.#emit('quarantine', { plugin: name, version, digest, reason, restoredVersion: restored?.manifest.version });
    if (restored) return;
    this.#state = 'quarantined';
    for (const item of this.#queue.splice(0)) this.#drop(item);
  }

  #restoreLastKnownGood(badVersion: string): PluginPackage | undefined {
    const store = this.#trustStore;
    const lkg = store?.lastKnownGood(this.#pkg.manifest.name, badVersion);
    if (!store || !lkg) return undefined;
    try {
      const pkg = loadPluginPackage(lkg.dir, { trustStore: store, allowRollbackDigest: lkg.digest });
      this.#config = resolvePluginConfig(pkg.manifest, this.#configOverride);
      this.#pkg = pkg;
      this.#kinds = new Set(pkg.manifest.kinds);
      store.activate(pkg.manifest.name, pkg.manifest.version);
      this.#failureTimes = [];
      this.#restartAt = 0;
      this.#state = 'restarting';
      return pkg;
    } catch (error) {
      this.#emit('log', { plugin: this.#pkg.manifest.name, level: 'error', message: `last-known-good ${lkg.version} could not be restored: ${(error as Error).message}` });
      return undefined;
    }
  }
}
