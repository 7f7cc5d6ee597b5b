/**
 * One hosted plugin: its own queue of batches and deadlines, its current child process,
 * the host-side enforcement of what the child may do (capabilities, alert and log rates,
 * escaped text), and the supervision policy — restart with exponential backoff,
 * quarantine after N failures in a window, and restore of the last-known-good version
 * when the trust store has one.
 *
 * A slot that makes no progress for `slowBatchMs` (a slow batch, a hanging setup, a
 * restart backoff) is *lagging*: the host stops waiting for it (see
 * {@link PluginSlot.offer}) and its own bounded queue sheds the oldest batches,
 * counted, so it never slows the other plugins.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';
import { loadPluginPackage, resolvePluginConfig, type PluginPackage } from '../package/plugin-package.js';
import type { TrustStore } from '../trust/trust-store.js';
import type { RefusalCode } from './codes.js';
import type { SandboxReport } from './confinement.js';
import { enforcingCallbacks, type Emit } from './message-policy.js';
import { pluginText } from './plugin-text.js';
import { PluginWorker, WorkerFailure, type WorkerLimits } from './plugin-worker.js';
import { TokenBucket } from './rate-limit.js';
import type { PluginState, PluginStats } from './types.js';

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
  /** Alerts per second a plugin may raise (sustained), and at once. The rest are dropped and counted. */
  maxAlertsPerSecond: number;
  alertBurst: number;
  /** Log lines per second a plugin may write (ctx.log and stdout), and at once. */
  maxLogsPerSecond: number;
  logBurst: number;
  /** A batch (or a start) taking longer than this flags the plugin slow, in ms; the host stops waiting for it. */
  slowBatchMs: number;
  /** Consecutive slow batches after which the plugin is restarted as a failure (`slow`). */
  maxSlowBatches: number;
  /** Plugins (by name) whose declared `network` capability the operator allows. */
  allowNetwork: readonly string[];
}


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
  #startup: Promise<void> | undefined;
  #alertBucket: TokenBucket;
  #logBucket: TokenBucket;
  readonly #reported = new Set<RefusalCode>();
  #consecutiveSlow = 0;
  #lagging = false;
  readonly #releases = new Set<() => void>();
  #progressTimer: NodeJS.Timeout | undefined;
  #stats: Omit<PluginStats, 'plugin' | 'version' | 'digest' | 'state' | 'pid' | 'rss' | 'sandbox' | 'slow'> = {
    batches: 0,
    events: 0,
    alerts: 0,
    eventErrors: 0,
    failures: 0,
    restarts: 0,
    lostEvents: 0,
    skippedEvents: 0,
    invalidAlerts: 0,
    refusedAlerts: 0,
    droppedAlerts: 0,
    refusedLogs: 0,
    droppedLogs: 0,
    unsendableEvents: 0,
    slowBatches: 0,
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
    this.#alertBucket = new TokenBucket(policy.maxAlertsPerSecond, policy.alertBurst);
    this.#logBucket = new TokenBucket(policy.maxLogsPerSecond, policy.logBurst);
  }

  /** Plugin name. */
  get name(): string {
    return this.#pkg.manifest.name;
  }

  /** Current state. */
  get state(): PluginState {
    return this.#state;
  }

  /**
   * Start the first process. Resolves once the process is spawned — not when its
   * `setup()` finished, so a hanging setup holds back only this plugin's own queue. A
   * failure is reported (and retried on the next batch), not thrown.
   */
  start(): Promise<void> {
    this.#startup = this.#startWorker();
    this.#armProgressTimer();
    return Promise.resolve();
  }

  /** Resolves once the first start finished (ready or failed). */
  async started(): Promise<void> {
    await this.#startup;
  }

  /**
   * Queue `batch` like {@link deliver}; `released` resolves when it was handled, failed or
   * dropped — or as soon as this slot is lagging (no progress for `slowBatchMs`), which is
   * when the host stops waiting for it. `done` resolves when it was handled, failed or dropped.
   */
  offer(batch: readonly EdrEvent[]): { done: Promise<void>; released: Promise<void> } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    if (this.#lagging || this.#state === 'quarantined' || this.#state === 'stopped') release();
    else this.#releases.add(release);
    const done = this.deliver(batch).then(() => {
      // Handled: no longer waiting for the lagging signal (the set never grows unbounded).
      this.#releases.delete(release);
      release();
    });
    return { done, released };
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
    clearTimeout(this.#progressTimer);
    this.#setLagging(true);
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
      pid: this.#worker?.pid,
      rss: this.#worker?.rss ?? 0,
      sandbox: { ...(this.#worker?.sandbox ?? {}) } as SandboxReport,
      slow: this.#consecutiveSlow > 0,
      ...this.#stats,
    };
  }

  /** Count a refusal; the first of each code per plugin is also reported as a `refusal` event. */
  #refuse(code: RefusalCode, message: string): void {
    if (this.#reported.has(code)) return;
    this.#reported.add(code);
    const { name, version } = this.#pkg.manifest;
    this.#emit('refusal', { plugin: name, version, code, message: pluginText(message) });
  }

  #setLagging(lagging: boolean): void {
    this.#lagging = lagging;
    if (!lagging) return;
    for (const release of this.#releases) release();
    this.#releases.clear();
  }

  /** (Re)start the no-progress clock: it fires when work waits longer than `slowBatchMs`. */
  #armProgressTimer(): void {
    clearTimeout(this.#progressTimer);
    this.#progressTimer = setTimeout(() => {
      if (this.#queue.length > 0 || this.#state !== 'running' || this.#pumping) this.#setLagging(true);
    }, this.#policy.slowBatchMs);
    this.#progressTimer.unref();
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
          // The first start may still be running (add() does not wait for setup()).
          const startup = this.#startup;
          this.#startup = undefined;
          await (startup ?? this.#startWorker());
          continue;
        }
        const item = this.#queue.shift() as QueuedBatch;
        const worker = this.#worker as PluginWorker;
        const began = Date.now();
        this.#armProgressTimer();
        try {
          const sent = await worker.runBatch(item.events);
          this.#stats.batches++;
          this.#stats.events += sent;
          if (++this.#cleanBatches === this.#policy.goodAfterBatches) {
            this.#trustStore?.markGood(this.#pkg.manifest.name, this.#pkg.manifest.version);
          }
          await this.#timed(Date.now() - began, worker);
        } catch (error) {
          await this.#failed(error, item.events.length);
        } finally {
          item.done();
        }
      }
    } finally {
      this.#pumping = false;
      clearTimeout(this.#progressTimer);
    }
  }

  /** Flag a slow batch; after `maxSlowBatches` in a row the plugin is restarted as a failure. */
  async #timed(ms: number, worker: PluginWorker): Promise<void> {
    if (ms <= this.#policy.slowBatchMs) {
      this.#consecutiveSlow = 0;
      this.#setLagging(false);
      return;
    }
    this.#stats.slowBatches++;
    this.#consecutiveSlow++;
    this.#setLagging(true);
    this.#refuse('ERR_PLUGIN_SLOW_BATCH', `a batch took ${ms} ms (slow threshold ${this.#policy.slowBatchMs} ms): the host no longer waits for this plugin, and its queue sheds the oldest batches`);
    if (this.#consecutiveSlow >= this.#policy.maxSlowBatches) {
      const count = this.#consecutiveSlow;
      this.#consecutiveSlow = 0;
      await this.#failed(new WorkerFailure('slow', `${count} batches in a row took longer than ${this.#policy.slowBatchMs} ms (last: ${ms} ms)`), 0, worker);
    }
  }

  async #startWorker(): Promise<void> {
    const wait = this.#restartAt - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (this.#state === 'stopped' || this.#state === 'quarantined') return;
    const { name, version } = this.#pkg.manifest;
    const capabilities = new Set<string>(this.#pkg.manifest.capabilities);
    const network = capabilities.has('network') && this.#policy.allowNetwork.includes(name);
    const worker = new PluginWorker(
      this.#pkg,
      this.#config,
      this.#policy,
      enforcingCallbacks({
        plugin: name,
        version,
        capabilities,
        policy: this.#policy,
        alertBucket: this.#alertBucket,
        logBucket: this.#logBucket,
        stats: this.#stats,
        refuse: (code, message) => this.#refuse(code, message),
        emit: this.#emit,
      }),
      { network },
    );
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

  async #failed(error: unknown, lostEvents: number, worker = this.#worker): Promise<void> {
    const failure = error instanceof WorkerFailure ? error : new WorkerFailure('crash', String(error));
    await worker?.kill(failure);
    if (this.#state === 'stopped') return;
    const now = Date.now();
    this.#failureTimes = [...this.#failureTimes.filter((t) => now - t < this.#policy.failureWindowMs), now];
    const count = this.#failureTimes.length;
    this.#stats.failures++;
    this.#stats.lostEvents += lostEvents;
    this.#stats.lastFailure = { reason: failure.reason, message: pluginText(failure.message), at: new Date(now).toISOString() };
    const quarantine = count >= this.#policy.maxFailures;
    const delay = Math.min(this.#policy.backoffMs * 2 ** (count - 1), this.#policy.maxBackoffMs);
    const { name, version } = this.#pkg.manifest;
    this.#emit('failure', {
      plugin: name,
      version,
      code: failure.code,
      reason: failure.reason,
      message: pluginText(failure.message),
      failuresInWindow: count,
      lostEvents,
      willRestart: !quarantine,
      restartInMs: quarantine ? undefined : delay,
    });
    if (quarantine) {
      this.#quarantine(pluginText(`${count} failures within ${this.#policy.failureWindowMs} ms; last: ${failure.code}: ${failure.message}`));
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
