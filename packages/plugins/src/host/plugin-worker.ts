/**
 * One plugin running in one supervised child process. The worker starts the child,
 * hands it the verified entry source, sends event batches one at a time and watches it:
 * a per-batch deadline, a heartbeat deadline, and a memory cap (V8's old-space limit in
 * the child, plus the child's resident size read from `/proc` by the parent, which also
 * catches a child spinning in a synchronous loop that can no longer report itself).
 * Any breach kills the child with SIGKILL and rejects with a {@link WorkerFailure}.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { EdrEvent } from '@edrkit/core';
import type { PluginPackage } from '../package/plugin-package.js';
import { CHILD_CRASH_EXIT_CODE, CHILD_SOURCE } from './child-source.js';
import { ChildMessageSchema, type ChildMessage } from './messages.js';
import { childNodeFlags } from './node-flags.js';

/** Why a plugin process was stopped. */
export type FailureReason = 'timeout' | 'heartbeat' | 'memory' | 'exit' | 'crash' | 'setup' | 'protocol';

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
  /** Run under Node's permission model when available. */
  sandbox: boolean;
}

/** What the worker reports while a batch runs. */
export interface WorkerCallbacks {
  alert(alert: unknown, event: EdrEvent | undefined): void;
  error(error: { message: string; stack?: string | undefined }, event: EdrEvent | undefined): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
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
  #child: ChildProcess | undefined;
  #stderr = '';
  #killReason: WorkerFailure | undefined;
  #exited: Promise<WorkerFailure> | undefined;
  #lastBeat = 0;
  #monitor: NodeJS.Timeout | undefined;
  #nextBatchId = 1;
  #pending: { id: number; events: readonly EdrEvent[]; resolve: () => void; reject: (f: WorkerFailure) => void; timer: NodeJS.Timeout } | undefined;
  #starting: { resolve: () => void; reject: (f: WorkerFailure) => void; timer: NodeJS.Timeout } | undefined;
  /** Last resident size reported or measured, in bytes. */
  rss = 0;

  constructor(pkg: PluginPackage, config: unknown, limits: WorkerLimits, callbacks: WorkerCallbacks) {
    this.#pkg = pkg;
    this.#config = config;
    this.#limits = limits;
    this.#callbacks = callbacks;
  }

  /** Process id of the child, while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Start the child and wait until the plugin's `setup()` finished. Rejects with a {@link WorkerFailure}. */
  start(): Promise<void> {
    const { manifest, entrySource } = this.#pkg;
    const child = spawn(process.execPath, [...childNodeFlags(this.#limits.memoryLimitMb, this.#limits.sandbox), '--input-type=module', '-e', CHILD_SOURCE], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // An empty environment: no secrets or NODE_OPTIONS of the host leak into plugins.
      env: {},
      serialization: 'json',
      windowsHide: true,
    });
    this.#child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.#callbacks.log('info', chunk.toString('utf8').slice(0, 4000).trimEnd()));
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('message', (raw: unknown) => this.#onMessage(raw));
    // A failed IPC send (child gone) surfaces as 'exit'; swallow the error event.
    child.on('error', () => {});
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        const failure = this.#killReason ?? this.#classifyExit(code, signal);
        this.#stopMonitor();
        this.#settleAll(failure);
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

  /** Deliver one batch; resolves when the plugin handled every event. Rejects with a {@link WorkerFailure}. */
  runBatch(events: readonly EdrEvent[]): Promise<void> {
    if (this.#pending) return Promise.reject(new Error('PluginWorker.runBatch: a batch is already running'));
    if (this.#killReason || !this.#child || this.#child.exitCode !== null) {
      return Promise.reject(this.#killReason ?? new WorkerFailure('exit', 'the plugin process is not running'));
    }
    const id = this.#nextBatchId++;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => this.kill(new WorkerFailure('timeout', `a batch of ${events.length} event(s) was not handled within ${this.#limits.batchTimeoutMs} ms (hung onEvent?)`)),
        this.#limits.batchTimeoutMs,
      );
      this.#pending = { id, events, resolve, reject, timer };
      this.#send({ t: 'batch', id, events });
    });
  }

  /** Kill the child (SIGKILL) for `reason`; resolves when it is gone. */
  async kill(reason: WorkerFailure = new WorkerFailure('exit', 'stopped by the host')): Promise<WorkerFailure> {
    this.#killReason ??= reason;
    const child = this.#child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    return this.#exited ?? reason;
  }

  /** Resolves with the failure once the child has exited. */
  get exited(): Promise<WorkerFailure> {
    return this.#exited ?? Promise.resolve(new WorkerFailure('exit', 'never started'));
  }

  #send(message: unknown): void {
    const child = this.#child;
    if (!child?.connected) return;
    child.send(message as object, (error) => {
      if (error) void this.kill(new WorkerFailure('crash', `cannot send to the plugin process: ${error.message}`));
    });
  }

  #check(): void {
    const pid = this.#child?.pid;
    const measured = pid === undefined ? undefined : readRssMb(pid);
    if (measured !== undefined) this.rss = measured * 1024 * 1024;
    const rssMb = this.rss / (1024 * 1024);
    if (rssMb > this.#limits.rssLimitMb) {
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
        this.rss = Math.max(this.rss, m.rss);
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
