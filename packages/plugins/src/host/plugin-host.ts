/**
 * The plugin host: runs every added plugin in its own supervised child process, delivers
 * event batches to each, and reports alerts, `onEvent` exceptions, process failures and
 * quarantines as events. A plugin that hangs, crashes, exits or runs out of memory is
 * contained to its own confined process (see confinement.ts); the host and the other
 * plugins carry on. Each plugin has its own queue and deadlines: on the live path
 * ({@link PluginHost.attach}) a slow or still-starting plugin is not waited for.
 *
 * ```ts
 * const host = new PluginHost({ trustStore });
 * host.on('alert', ({ plugin, alert, event }) => console.log(plugin, alert.title));
 * await host.add(loadPluginPackage('./my-plugin', { trustStore }));
 * await host.attach(sensor);      // or: await host.deliver(events)
 * await host.close();
 * ```
 *
 * @module
 */
import { EventEmitter } from 'node:events';
import { InvalidArgumentError, type EdrEvent } from '@edrkit/core';
import { PluginError } from '../errors.js';
import { batches } from './batches.js';
import type { PluginPackage } from '../package/plugin-package.js';
import type { TrustStore } from '../trust/trust-store.js';
import { PluginSlot, type SlotPolicy } from './plugin-slot.js';
import type { PluginHostEvents, PluginHostStats } from './types.js';

/** Options of {@link PluginHost}. All times in ms (see {@link DEFAULT_POLICY}). */
export interface PluginHostOptions extends Partial<SlotPolicy> {
  /** Persists quarantine and last-known-good state, and provides last-known-good versions. */
  trustStore?: TrustStore;
}

/** Defaults of the supervision policy. */
export const DEFAULT_POLICY: SlotPolicy = {
  batchTimeoutMs: 5_000,
  startTimeoutMs: 10_000,
  heartbeatMs: 1_000,
  heartbeatTimeoutMs: 5_000,
  memoryLimitMb: 128,
  rssLimitMb: 384,
  sandbox: true,
  maxFailures: 3,
  failureWindowMs: 10 * 60_000,
  backoffMs: 500,
  maxBackoffMs: 60_000,
  maxQueuedBatches: 64,
  goodAfterBatches: 100,
  // Debian and Ubuntu both ship nobody/nogroup (65534); a dedicated user can be configured.
  user: 'nobody',
  group: 'nogroup',
  maxProcesses: 64,
  maxOpenFiles: 128,
  cpuSeconds: 24 * 3600,
  maxMessageBytes: 1024 * 1024,
  maxAlertsPerSecond: 200,
  alertBurst: 1_000,
  maxLogsPerSecond: 50,
  logBurst: 200,
  slowBatchMs: 1_000,
  maxSlowBatches: 5,
  allowNetwork: [],
};

/** Options of {@link PluginHost.attach}. */
export interface AttachOptions {
  /** Events per batch (default 256). */
  batchSize?: number;
  /** Longest a batch waits to fill before it is sent anyway, in ms (default 100): keeps live alerts prompt. */
  maxDelayMs?: number;
  signal?: AbortSignal;
}

/** Runs plugins in supervised child processes. */
export class PluginHost extends EventEmitter<PluginHostEvents> {
  readonly #policy: SlotPolicy;
  readonly #trustStore: TrustStore | undefined;
  readonly #slots = new Map<string, PluginSlot>();
  #batches = 0;
  #events = 0;
  #closed = false;

  constructor(options: PluginHostOptions = {}) {
    super();
    const { trustStore, ...policy } = options;
    this.#trustStore = trustStore;
    this.#policy = { ...DEFAULT_POLICY, ...Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined)) };
    for (const [key, value] of Object.entries(this.#policy)) {
      if (typeof value === 'number' && !(value > 0)) throw new InvalidArgumentError(`PluginHost: ${key} must be a positive number, got ${value}`);
    }
    for (const key of ['user', 'group'] as const) {
      if (!/^[a-z_][a-z0-9_.-]{0,31}$/i.test(this.#policy[key])) throw new InvalidArgumentError(`PluginHost: ${key} must be a user/group name, got '${this.#policy[key]}'`);
    }
  }

  /**
   * Start a verified plugin (from {@link loadPluginPackage}). Resolves once its process is
   * spawned, not when its `setup()` finished (await {@link ready} for that), so one
   * plugin's slow setup never holds back another. A plugin that fails to start is reported
   * with a `failure` event and retried with backoff, not thrown.
   * @param options.config overrides the manifest's default config; validated against its schema.
   * @throws {@link PluginError} `ERR_PLUGIN_CONFIG` for a bad config, `ERR_PLUGIN_QUARANTINED`
   *   for a quarantined build, `ERR_INVALID_ARGUMENT` for a name already added.
   */
  async add(pkg: PluginPackage, options: { config?: unknown } = {}): Promise<void> {
    if (this.#closed) throw new InvalidArgumentError('PluginHost.add: the host is closed');
    const { name } = pkg.manifest;
    if (this.#slots.has(name)) throw new InvalidArgumentError(`PluginHost.add: a plugin named '${name}' is already running`);
    if (this.#trustStore?.isQuarantined(pkg.digest)) {
      throw new PluginError('ERR_PLUGIN_QUARANTINED', `${name} ${pkg.manifest.version} is quarantined; release it with \`edrkit plugin release ${name}\``, { plugin: name });
    }
    const slot = new PluginSlot(pkg, options.config ?? pkg.manifest.defaultConfig, this.#policy, this.#trustStore, (event, ...args) => {
      // The slot emits exactly the host's event map; the cast only bridges the generic.
      (this.emit as (name: string, ...rest: unknown[]) => boolean)(event, ...args);
    });
    this.#slots.set(name, slot);
    await slot.start();
  }

  /** Resolves once every added plugin finished its first start (ready or failed). */
  async ready(): Promise<void> {
    await Promise.all([...this.#slots.values()].map((slot) => slot.started()));
  }

  /** Names of the hosted plugins. */
  plugins(): string[] {
    return [...this.#slots.keys()];
  }

  /**
   * Deliver one batch to every plugin that subscribes to its kinds. Resolves when each
   * plugin has handled it, failed on it, or dropped it — never rejects because of a plugin.
   * For a stream use {@link attach}, which does not wait for a lagging plugin.
   */
  async deliver(events: readonly EdrEvent[]): Promise<void> {
    if (this.#closed) throw new InvalidArgumentError('PluginHost.deliver: the host is closed');
    if (events.length === 0) return;
    this.#batches++;
    this.#events += events.length;
    await Promise.all([...this.#slots.values()].map((slot) => slot.deliver(events)));
  }

  /**
   * Deliver every event of `source` (a Sensor, a replay, any async iterable) in batches,
   * until it ends or `signal` aborts.
   */
  async attach(source: AsyncIterable<EdrEvent> | Iterable<EdrEvent>, options: AttachOptions = {}): Promise<void> {
    const batchSize = options.batchSize ?? 256;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`attach: batchSize must be a positive integer, got ${batchSize}`);
    const maxDelayMs = options.maxDelayMs ?? 100;
    if (!(maxDelayMs >= 0)) throw new InvalidArgumentError(`attach: maxDelayMs must be >= 0, got ${maxDelayMs}`);
    const outstanding = new Set<Promise<void>>();
    for await (const batch of batches(source, { batchSize, maxDelayMs, signal: options.signal })) {
      if (this.#closed) break;
      this.#batches++;
      this.#events += batch.length;
      // Back-pressure comes only from plugins that keep up: a lagging plugin (slow batch,
      // hanging setup, restart backoff) is not waited for; its own queue sheds, counted.
      const waits = [...this.#slots.values()].map((slot) => {
        const { done, released } = slot.offer(batch);
        outstanding.add(done);
        void done.then(() => outstanding.delete(done));
        return released;
      });
      await Promise.all(waits);
    }
    // Every batch is handled, failed or dropped before attach resolves.
    await Promise.all(outstanding);
  }

  /** Counters of the host and of every plugin. */
  stats(): PluginHostStats {
    return { plugins: [...this.#slots.values()].map((s) => s.stats()), batches: this.#batches, events: this.#events };
  }

  /** Stop every plugin process. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#slots.values()].map((s) => s.stop()));
  }

  /** `await using host = new PluginHost(...)` closes it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
