/**
 * One plugin running in one supervised child process. The worker starts the child,
 * hands it the verified entry source, sends event batches one at a time and watches it:
 * a per-batch deadline, a heartbeat deadline, and a memory cap (V8's old-space limit in
 * the child, plus the child's resident size read from `/proc` by the parent, which also
 * catches a child spinning in a synchronous loop that can no longer report itself).
 * Any breach kills the child's whole process group with SIGKILL and rejects with a
 * {@link WorkerFailure}.
 *
 * The child is started confined (spawn-child.ts); the layers that held are in
 * {@link PluginWorker.sandbox}.
 * Messages travel over a size-bounded line channel (channel.ts), not Node's IPC.
 *
 * @module
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import type { EdrEvent } from '@edrkit/core';
import type { PluginPackage } from '../package/plugin-package.js';
import type { PluginCgroup } from './cgroup.js';
import { LineChannel } from './channel.js';
import { CHILD_CRASH_EXIT_CODE, CHILD_SOURCE } from './child-source.js';
import { FAILURE_CODES, type FailureCode, type FailureReason } from './codes.js';
import type { SandboxReport } from './confinement.js';
import { ChildMessageSchema, type ChildMessage } from './messages.js';
import { childNodeFlags } from './node-flags.js';
import { killGroup, releaseGroup, spawnPluginChild } from './spawn-child.js';

export type { FailureReason } from './codes.js';

/** A plugin process failed and is gone. */
export class WorkerFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
    readonly exitCode: number | null = null,
    readonly signal: string | null = null,
  ) {
    super(message);
    this.name = 'WorkerFailure';
  }

  /** Stable code of the failure (`ERR_PLUGIN_MEMORY`, …). */
  get code(): FailureCode {
    return FAILURE_CODES[this.reason];
  }
}

/** Limits and timings of a plugin process. */
export interface WorkerLimits {
  /** Deadline for one batch, in ms. */
  batchTimeoutMs: number;
  /** Deadline for import + `setup()`, in ms. */
  startTimeoutMs: number;
  /** How often the child reports, in ms. */
  heartbeatMs: number;
  /** Silence after which the child is considered hung, in ms. */
  heartbeatTimeoutMs: number;
  /** V8 old-space cap of the child, in MiB. */
  memoryLimitMb: number;
  /** Resident-size cap of the child (heap, buffers and all), in MiB. */
  rssLimitMb: number;
  /** Confine the child: OS layers (Linux launcher) and Node's permission model, where available. */
  sandbox: boolean;
  /** Unprivileged user and group of the child when the host is root (default `nobody`/`nogroup`). */
  user: string;
  group: string;
  /** Processes and threads of the child (cgroup pids.max; RLIMIT_NPROC without a pids cgroup). */
  maxProcesses: number;
  /** Open file descriptors of the child (RLIMIT_NOFILE). */
  maxOpenFiles: number;
  /** CPU time over the child's life, in s (RLIMIT_CPU); a restart starts a new allowance. */
  cpuSeconds: number;
  /** Longest message the host accepts from the child, in bytes; longer is a protocol failure. */
  maxMessageBytes: number;
}

/** Per-process choices the slot makes for the worker. */
export interface WorkerOptions {
  /** Let the child use the host's network (a `network` capability the operator allowed). */
  network: boolean;
}

/** What the worker reports while a batch runs. */
export interface WorkerCallbacks {
  alert(alert: unknown, event: EdrEvent | undefined): void;
  error(error: { message: string; stack?: string | undefined }, event: EdrEvent | undefined): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Events of a batch that could not be serialised to the child and were dropped. */
  unsendable(count: number, reason: string): void;
}

const STDERR_KEEP = 8192;
const MONITOR_MS = 50;

function readRssMb(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return (pages * 4096) / (1024 * 1024);
  } catch {
    return undefined;
  }
}

/** A running plugin child process. */
export class PluginWorker {
  readonly #pkg: PluginPackage;
  readonly #config: unknown;
  readonly #limits: WorkerLimits;
  readonly #callbacks: WorkerCallbacks;
  readonly #options: WorkerOptions;
  #child: ChildProcess | undefined;
  #channel: LineChannel | undefined;
  #cgroup: PluginCgroup | undefined;
  #stderr = '';
  #killReason: WorkerFailure | undefined;
  #exited: Promise<WorkerFailure> | undefined;
  #lastBeat = 0;
  #monitor: NodeJS.Timeout | undefined;
  #nextBatchId = 1;
  #pending: { id: number; events: readonly EdrEvent[]; resolve: () => void; reject: (f: WorkerFailure) => void; timer: NodeJS.Timeout } | undefined;
  #starting: { resolve: () => void; reject: (f: WorkerFailure) => void; timer: NodeJS.Timeout } | undefined;
  /** Last resident size measured (or, where /proc is unavailable, reported), in bytes. */
  rss = 0;
  /** Outcome of each confinement layer; complete once {@link start} resolved. */
  sandbox: SandboxReport = {};

  constructor(pkg: PluginPackage, config: unknown, limits: WorkerLimits, callbacks: WorkerCallbacks, options: WorkerOptions = { network: false }) {
    this.#pkg = pkg;
    this.#config = config;
    this.#limits = limits;
    this.#callbacks = callbacks;
    this.#options = options;
  }

  /** Process id of the child, while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Start the child and wait until the plugin's `setup()` finished. Rejects with a {@link WorkerFailure}. */
  start(): Promise<void> {
    const { manifest, entrySource } = this.#pkg;
    const nodeArgs = [...childNodeFlags(this.#limits.memoryLimitMb, this.#limits.sandbox), '--input-type=module', '-e', CHILD_SOURCE];
    const spawned = spawnPluginChild(manifest.name, this.#limits, this.#options.network, nodeArgs);
    const child = spawned.child;
    this.#child = child;
    this.#cgroup = spawned.cgroup;
    this.sandbox = spawned.sandbox;
    child.stdout?.on('data', (chunk: Buffer) => this.#callbacks.log('info', chunk.toString('utf8').slice(0, 4000).trimEnd()));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    this.#channel = new LineChannel(child.stdio[3] as Duplex, this.#limits.maxMessageBytes, {
      message: (raw) => this.#onMessage(raw),
      protocolError: (reason) => void this.kill(new WorkerFailure('protocol', `the plugin process sent ${reason}`)),
    });
    // A spawn failure (launcher not executable) surfaces as 'error' and then 'exit'/'close'.
    child.on('error', (error) => {
      this.#killReason ??= new WorkerFailure('crash', `cannot start the plugin process: ${error.message}`);
    });
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        // The group may hold more than the leader (a plugin that got to fork): end them too.
        if (child.pid !== undefined) releaseGroup(child.pid);
        const failure = this.#killReason ?? this.#classifyExit(code, signal);
        this.#stopMonitor();
        this.#channel?.close();
        this.#settleAll(failure);
        this.#cgroup?.remove();
        resolve(failure);
      });
    });
    this.#lastBeat = Date.now();
    this.#monitor = setInterval(() => this.#check(), MONITOR_MS);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.kill(new WorkerFailure('setup', `import and setup() did not finish within ${this.#limits.startTimeoutMs} ms`)), this.#limits.startTimeoutMs);
      this.#starting = { resolve, reject, timer };
      this.#send({
        t: 'init',
        name: manifest.name,
        version: manifest.version,
        source: entrySource,
        config: this.#config,
        capabilities: manifest.capabilities,
        heartbeatMs: this.#limits.heartbeatMs,
      });
    });
  }

  /**
   * Deliver one batch; resolves with the number of events sent (unserialisable ones are
   * dropped) once the plugin handled every one. Rejects with a {@link WorkerFailure}.
   */
  runBatch(events: readonly EdrEvent[]): Promise<number> {
    if (this.#pending) return Promise.reject(new Error('PluginWorker.runBatch: a batch is already running'));
    if (this.#killReason || !this.#child || this.#child.exitCode !== null) {
      return Promise.reject(this.#killReason ?? new WorkerFailure('exit', 'the plugin process is not running'));
    }
    const id = this.#nextBatchId++;
    const line = this.#serialize(id, events);
    if (line.events.length === 0) return Promise.resolve(0);
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => this.kill(new WorkerFailure('timeout', `a batch of ${line.events.length} event(s) was not handled within ${this.#limits.batchTimeoutMs} ms (hung onEvent?)`)),
        this.#limits.batchTimeoutMs,
      );
      this.#pending = { id, events: line.events, resolve: () => resolve(line.events.length), reject, timer };
      this.#send(line.message);
    });
  }

  /**
   * The batch message, without the events that cannot be serialised (too deep for the
   * stack, cyclic, BigInt): those are dropped and reported, never charged to the plugin.
   * The common case costs one stringify; only a failing batch is checked event by event.
   */
  #serialize(id: number, events: readonly EdrEvent[]): { message: unknown; events: readonly EdrEvent[] } {
    const message = { t: 'batch', id, events };
    try {
      return { message: { raw: JSON.stringify(message) }, events };
    } catch {
      const kept: EdrEvent[] = [];
      let reason = '';
      for (const event of events) {
        try {
          JSON.stringify(event);
          kept.push(event);
        } catch (error) {
          reason ||= (error as Error).message;
        }
      }
      this.#callbacks.unsendable(events.length - kept.length, reason);
      return { message: { raw: JSON.stringify({ t: 'batch', id, events: kept }) }, events: kept };
    }
  }

  /** Kill the child (SIGKILL) for `reason`; resolves when it is gone. */
  async kill(reason: WorkerFailure = new WorkerFailure('exit', 'stopped by the host')): Promise<WorkerFailure> {
    this.#killReason ??= reason;
    const child = this.#child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) killGroup(child.pid);
    return this.#exited ?? reason;
  }

  /** Resolves with the failure once the child has exited. */
  get exited(): Promise<WorkerFailure> {
    return this.#exited ?? Promise.resolve(new WorkerFailure('exit', 'never started'));
  }

  #send(message: unknown): void {
    const channel = this.#channel;
    if (!channel) return;
    try {
      if (message && typeof message === 'object' && 'raw' in message) channel.sendLine((message as { raw: string }).raw);
      else channel.send(message);
    } catch (error) {
      // Only the init message gets here (batches are serialised beforehand): a config that
      // cannot be serialised is the operator's problem, reported as a failed start.
      void this.kill(new WorkerFailure('setup', `cannot send to the plugin process: ${(error as Error).message}`));
    }
  }

  #check(): void {
    const pid = this.#child?.pid;
    const measured = pid === undefined ? undefined : readRssMb(pid);
    if (measured !== undefined) this.rss = measured * 1024 * 1024;
    const rssMb = this.rss / (1024 * 1024);
    // Where the cgroup memory limit holds the kernel enforces the cap (and names it); the
    // host's own watch is the fallback.
    if (this.sandbox.cgroupMemory !== 'held' && rssMb > this.#limits.rssLimitMb) {
      void this.kill(new WorkerFailure('memory', `resident memory ${Math.round(rssMb)} MiB exceeds the ${this.#limits.rssLimitMb} MiB cap`));
      return;
    }
    // The heartbeat is only armed after setup; startup has its own deadline.
    if (!this.#starting && Date.now() - this.#lastBeat > this.#limits.heartbeatTimeoutMs) {
      void this.kill(new WorkerFailure('heartbeat', `no heartbeat for ${this.#limits.heartbeatTimeoutMs} ms (event loop blocked?)`));
    }
  }

  #stopMonitor(): void {
    if (this.#monitor) clearInterval(this.#monitor);
    this.#monitor = undefined;
  }

  #classifyExit(code: number | null, signal: NodeJS.Signals | null): WorkerFailure {
    const name = this.#pkg.manifest.name;
    // The launcher refused to start the plugin unconfined (e.g. the configured user is missing).
    const launcherError = /edrkit-plugin-launcher: (.*)/.exec(this.#stderr)?.[1];
    if (launcherError) return new WorkerFailure('setup', `confinement could not be applied: ${launcherError}`, code, signal);
    if (this.#cgroup?.oomKilled()) {
      return new WorkerFailure('memory', `plugin ${name} exceeded its ${this.#limits.rssLimitMb} MiB memory limit (${this.#cgroup.memoryFile})`, code, signal);
    }
    if (signal === 'SIGXCPU') return new WorkerFailure('cpu', `plugin ${name} used up its ${this.#limits.cpuSeconds} s of CPU time (RLIMIT_CPU)`, code, signal);
    if (this.#cgroup?.pidsExhausted()) {
      return new WorkerFailure('crash', `plugin ${name} hit its limit of ${this.#limits.maxProcesses} processes/threads (cgroup pids.max)${this.#stderr ? `: ${lastLine(this.#stderr)}` : ''}`, code, signal);
    }
    if (/heap out of memory|Allocation failed|out of memory/i.test(this.#stderr)) {
      return new WorkerFailure('memory', `ran out of its ${this.#limits.memoryLimitMb} MiB heap`, code, signal);
    }
    if (code === CHILD_CRASH_EXIT_CODE) return new WorkerFailure('crash', `uncaught exception outside onEvent${this.#crashMessage ? `: ${this.#crashMessage}` : ''}`, code, signal);
    if (signal) return new WorkerFailure('crash', `the plugin process died with ${signal}${this.#stderr ? `: ${lastLine(this.#stderr)}` : ''}`, code, signal);
    return new WorkerFailure('exit', `the plugin process exited with code ${code} (process.exit in a plugin?)`, code, signal);
  }

  #crashMessage: string | undefined;

  #settleAll(failure: WorkerFailure): void {
    if (this.#starting) {
      clearTimeout(this.#starting.timer);
      this.#starting.reject(failure);
      this.#starting = undefined;
    }
    if (this.#pending) {
      clearTimeout(this.#pending.timer);
      this.#pending.reject(failure);
      this.#pending = undefined;
    }
  }

  #onMessage(raw: unknown): void {
    const parsed = ChildMessageSchema.safeParse(raw);
    if (!parsed.success) {
      void this.kill(new WorkerFailure('protocol', 'the plugin process sent a malformed message'));
      return;
    }
    const m: ChildMessage = parsed.data;
    const pending = this.#pending;
    const eventAt = (id: number, index: number): EdrEvent | undefined => (pending && pending.id === id ? pending.events[index] : undefined);
    switch (m.t) {
      case 'hb':
        this.#lastBeat = Date.now();
        // The host's own /proc reading wins: a plugin could report anything.
        if (process.platform !== 'linux') this.rss = m.rss;
        return;
      case 'ready':
        if (this.#starting) {
          clearTimeout(this.#starting.timer);
          this.#lastBeat = Date.now();
          this.#starting.resolve();
          this.#starting = undefined;
        }
        return;
      case 'fatal':
        void this.kill(new WorkerFailure('setup', `loading the plugin failed: ${m.message}`));
        return;
      case 'crash':
        this.#crashMessage = m.message;
        void this.kill(new WorkerFailure('crash', `uncaught exception outside onEvent: ${m.message}`));
        return;
      case 'alert':
        this.#callbacks.alert(m.alert, eventAt(m.id, m.index));
        return;
      case 'error':
        this.#callbacks.error({ message: m.message, stack: m.stack }, eventAt(m.id, m.index));
        return;
      case 'log':
        this.#callbacks.log(m.level, m.message);
        return;
      case 'done':
        if (pending && pending.id === m.id) {
          clearTimeout(pending.timer);
          this.#pending = undefined;
          this.#lastBeat = Date.now();
          pending.resolve();
        }
        return;
    }
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
