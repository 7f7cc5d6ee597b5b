/**
 * The Sensor: what an embedding product holds. It receives batches from a backend,
 * assigns sequence numbers, resolves lineage, filters, and hands events to consumers —
 * async iterators (each with its own bounded queue) and `on(kind)` listeners — while
 * counting every event it could not deliver.
 *
 * @module
 */
import { AbortError } from '../errors.js';
import type { Backend, BackendProbe, BackendStats, EventSink } from '../backend.js';
import type { EdrEvent, EventDraft, EventKind, EventOfKind } from '../events/schema.js';
import { lifecycleEvent, type LifecycleKind } from './lifecycle.js';
import { Consumer, type ConsumerHost } from './consumer.js';
import { EventQueue, type OverflowPolicy } from './event-queue.js';
import type { CompiledFilter } from './filter.js';
import { ProcessTable } from './process-table.js';

/** Counters of a sensor; see docs/architecture.md for the stages. */
export interface SensorStats {
  /** Events the backend handed over. */
  received: number;
  /** Events removed by the kinds list or the filter. */
  filtered: number;
  /** Events that passed the filters and were offered to consumers. */
  accepted: number;
  /** Events (other than `sensor.lost`) taken by iterators. */
  delivered: number;
  /** Events handed to `on()` listeners (once per event, however many listeners). */
  dispatched: number;
  /** Dropped events per stage: `kernel` and `backend` before the sensor, `queue` in consumer queues. */
  dropped: { kernel: number; backend: number; queue: number };
  /** Non-fatal problems reported (malformed records skipped, listener errors). */
  warnings: number;
  /** Events waiting in consumer queues now. */
  queued: number;
  /** The backend's own counters. */
  backend: BackendStats;
}

/** Options of a consumer iterator. */
export interface EventsOptions {
  /** Abort to end the iteration with an `AbortError` (Node's `events.on` semantics). */
  signal?: AbortSignal;
}

/** Options of {@link Sensor.batches}. */
export interface BatchesOptions extends EventsOptions {
  /** Largest batch handed over at once (default: the sensor's `maxQueue`, i.e. everything queued). */
  maxBatch?: number;
}

type Listener = (arg: never) => void;
type Kinds = EventKind | '*';

/** Internal construction parameters (see {@link openSensor} for the public options). */
export interface SensorInit {
  backend: Backend;
  probe: BackendProbe;
  kinds: ReadonlySet<EventKind>;
  filter: CompiledFilter;
  maxQueue: number;
  overflow: OverflowPolicy;
  processTable: ProcessTable | undefined;
  /** Emit `sensor.start` / `sensor.stop` (when `kinds` holds them). */
  lifecycle: boolean;
  /** `block-devices`: `file.open` is in `kinds` by default, for opens of block devices only. */
  fileOpen?: 'all' | 'block-devices';
}

/** Warnings kept for the first `on('warning')` listener (more are only counted). */
const MAX_EARLY_WARNINGS = 64;

/** A running sensor. Create one with `openSensor()`. */
export class Sensor implements AsyncIterable<EdrEvent>, ConsumerHost {
  /** The backend producing this sensor's events. */
  readonly backend: Backend;
  /** What the backend reported it can do on this host. */
  readonly capabilities: BackendProbe;
  /** The kinds this sensor delivers. */
  readonly kinds: ReadonlySet<EventKind>;

  private readonly filter: CompiledFilter;
  private readonly table: ProcessTable | undefined;
  private readonly maxQueue: number;
  private readonly overflow: OverflowPolicy;
  private readonly consumers = new Set<Consumer>();
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Holds events until the first consumer attaches, so none are missed after open. */
  private prebuffer: EventQueue | undefined;
  /**
   * Warnings raised before anyone listened for them (a backend warns during `start()`,
   * before `openSensor` has returned the sensor): kept, a bounded few, for the first
   * `on('warning')` listener.
   */
  private earlyWarnings: Error[] | undefined = [];
  private seq = 0;
  private state: 'open' | 'ended' | 'closed' = 'open';
  private failure: Error | undefined;
  private readyWaiters: (() => void)[] = [];
  private readonly counters = { received: 0, filtered: 0, accepted: 0, delivered: 0, dispatched: 0, warnings: 0 };
  private readonly dropped = { kernel: 0, backend: 0, queue: 0 };
  private readonly lifecycle: boolean;
  /** The sensor's own lifecycle events, which are not counted as delivered backend events. */
  private readonly own = new WeakSet<EdrEvent>();
  private readonly blockOpensOnly: boolean;
  private closing: Promise<void> | undefined;
  private resolveDone!: () => void;
  /** Resolves when the stream has ended (end of input, close, abort or backend error). */
  readonly done: Promise<void>;

  constructor(init: SensorInit) {
    this.backend = init.backend;
    this.capabilities = init.probe;
    this.kinds = init.kinds;
    this.blockOpensOnly = init.fileOpen === 'block-devices';
    this.filter = init.filter;
    this.table = init.processTable;
    this.maxQueue = init.maxQueue;
    this.overflow = init.overflow;
    this.prebuffer = this.newQueue();
    this.done = new Promise((r) => (this.resolveDone = r));
    this.lifecycle = init.lifecycle;
    // First event of the stream, before the backend can push anything; it waits in the prebuffer.
    if (this.lifecycle && this.kinds.has('sensor.start')) this.offer(this.lifecycleEvent('sensor.start'));
  }

  /** The sink handed to the backend. */
  readonly sink: EventSink = {
    push: (events) => this.receive(events),
    lost: (count, reason, stage = 'backend') => this.reportLoss(count, reason, stage),
    warn: (err) => this.warn(err),
    error: (err) => this.fatal(err),
    end: () => this.finish('ended'),
    ready: () => this.ready(),
  };

  /** True while the backend may still produce events. */
  get open(): boolean {
    return this.state === 'open';
  }

  /** The fatal error that ended the stream, if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  // ---- consumers ---------------------------------------------------------------

  /** Iterate over events. Each iterator has its own bounded queue. */
  events(options: EventsOptions = {}): AsyncIterableIterator<EdrEvent> {
    const queue = this.consumers.size === 0 && this.prebuffer ? this.prebuffer : this.newQueue();
    this.prebuffer = undefined;
    const consumer = new Consumer(queue, this, options.signal);
    this.consumers.add(consumer);
    if (this.failure) consumer.fail(this.failure, false);
    else if (this.state !== 'open') consumer.end();
    return consumer;
  }

  [Symbol.asyncIterator](): AsyncIterator<EdrEvent> {
    return this.events();
  }

  /**
   * Iterate over events in batches: each step waits for at least one event, then hands over
   * every event already queued (up to `maxBatch`) at once, in order. The same consumer as
   * {@link events} (own bounded queue, same drop accounting and abort semantics); for
   * consumers that pay a fixed cost per step, such as one `write` per batch of output lines.
   */
  async *batches(options: BatchesOptions = {}): AsyncGenerator<EdrEvent[], void, undefined> {
    const max = options.maxBatch ?? this.maxQueue;
    if (!(Number.isInteger(max) && max > 0)) throw new RangeError(`maxBatch must be a positive integer, got ${max}`);
    const consumer = this.events(options.signal ? { signal: options.signal } : {}) as Consumer;
    try {
      for (;;) {
        const first = await consumer.next();
        if (first.done) return;
        yield consumer.takeQueued(max, [first.value]);
      }
    } finally {
      await consumer.return();
    }
  }

  /** Listen to one kind (the listener's argument is narrowed to that kind). */
  on<K extends EventKind>(kind: K, listener: (event: EventOfKind<K>) => void): this;
  /** Listen to every event. */
  on(kind: '*', listener: (event: EdrEvent) => void): this;
  /** A non-fatal problem (malformed record skipped, a listener threw). */
  on(kind: 'warning', listener: (err: Error) => void): this;
  /** The fatal error that ended the stream. */
  on(kind: 'error', listener: (err: Error) => void): this;
  /** The stream ended (end of input, close or error). */
  on(kind: 'end', listener: () => void): this;
  on(kind: string, listener: (arg: never) => void): this {
    let set = this.listeners.get(kind);
    if (!set) this.listeners.set(kind, (set = new Set()));
    set.add(listener as Listener);
    if (kind === 'warning' && this.earlyWarnings) {
      const early = this.earlyWarnings;
      this.earlyWarnings = undefined;
      if (early.length > 0) queueMicrotask(() => early.forEach((w) => this.emitControl('warning', w)));
    }
    if (kind !== 'warning' && kind !== 'error' && kind !== 'end' && this.prebuffer && this.consumers.size === 0) {
      const buffered = this.prebuffer;
      this.prebuffer = undefined;
      queueMicrotask(() => {
        for (let e = buffered.shift(); e; e = buffered.shift()) this.emitEvent(e);
        this.notifyReady();
      });
    }
    return this;
  }

  /** Remove a listener added with {@link on}. */
  off(kind: Kinds | 'warning' | 'error' | 'end', listener: (arg: never) => void): this {
    this.listeners.get(kind)?.delete(listener as Listener);
    return this;
  }

  /** Counters for every stage; `received = filtered + accepted`, `accepted = delivered + dropped.queue + queued` for one iterator. */
  stats(): SensorStats {
    let queued = 0;
    for (const c of this.consumers) queued += c.queue.length;
    if (this.prebuffer) queued += this.prebuffer.length;
    return {
      ...this.counters,
      dropped: { ...this.dropped },
      queued,
      backend: this.backend.stats(),
    };
  }

  /** Stop the backend and end every consumer after it drains. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.backend.stop();
      } finally {
        this.finish('closed');
      }
    })();
    return this.closing;
  }

  /**
   * Abort: consumers' iterations throw an `AbortError` at once (queued events are
   * discarded, as with Node's `events.on`), then the sensor closes.
   */
  abort(reason?: unknown): Promise<void> {
    const err = new AbortError(undefined, { cause: reason });
    for (const c of this.consumers) c.fail(err, true);
    return this.close();
  }

  /** `await using sensor = await openSensor(…)` closes it at scope exit. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ---- ConsumerHost --------------------------------------------------------------

  /** @internal */
  taken(event: EdrEvent): void {
    if (event.kind !== 'sensor.lost' && !this.own.has(event)) this.counters.delivered++;
    this.notifyReady();
  }

  /** @internal */
  detach(consumer: Consumer): void {
    this.consumers.delete(consumer);
    this.notifyReady();
  }

  // ---- from the backend ------------------------------------------------------------

  private receive(drafts: readonly EventDraft[]): void {
    if (this.state !== 'open') return;
    for (const draft of drafts) {
      this.counters.received++;
      if (this.table && draft.kind !== 'sensor.lost') this.table.enrich(draft as EdrEvent);
      if (!this.kinds.has(draft.kind) || (this.blockOpensOnly && draft.kind === 'file.open' && draft.file.type !== 'block')) {
        this.counters.filtered++;
        continue;
      }
      // The sink owns pushed drafts (see EventSink.push): completing them in place saves a copy per event.
      const event = draft as EdrEvent;
      if (!this.filter.test(event)) {
        this.counters.filtered++;
        continue;
      }
      event.seq = ++this.seq;
      this.counters.accepted++;
      this.offer(event);
    }
  }

  private reportLoss(count: number, reason: string, stage: 'kernel' | 'backend'): void {
    if (!(count > 0) || this.state !== 'open') return;
    this.dropped[stage] += count;
    this.offer(this.lostEvent(count, reason, stage));
  }

  private lostEvent(count: number, reason: string, stage: 'kernel' | 'backend' | 'queue'): EventOfKind<'sensor.lost'> {
    return {
      kind: 'sensor.lost',
      time: Date.now(),
      seq: ++this.seq,
      platform: this.backend.platform,
      source: this.capabilities.id as EventOfKind<'sensor.lost'>['source'],
      lost: { count, reason, stage },
    };
  }

  private lifecycleEvent<K extends LifecycleKind>(kind: K, reason?: string): EventOfKind<K> {
    const event = lifecycleEvent(kind, {
      seq: ++this.seq,
      platform: this.backend.platform,
      source: this.capabilities.id,
      backend: this.backend.id,
      kinds: [...this.kinds],
      ...(reason !== undefined ? { reason } : {}),
    });
    this.own.add(event);
    return event;
  }

  /** The last event of a stream, queued before consumers are ended so every iterator sees it. */
  private emitStop(reason: string): void {
    if (this.lifecycle && this.kinds.has('sensor.stop')) this.offer(this.lifecycleEvent('sensor.stop', reason));
  }

  private offer(event: EdrEvent): void {
    this.emitEvent(event);
    if (this.prebuffer) {
      this.prebuffer.push(event);
      this.tally(this.prebuffer);
    }
    for (const c of this.consumers) {
      c.offer(event);
      this.tally(c.queue);
    }
  }

  /** Move a queue's drop count into the sensor's stats, so stats() is exact while iterating. */
  private tally(queue: EventQueue): void {
    this.dropped.queue += queue.dropped;
    queue.dropped = 0;
  }

  private emitEvent(event: EdrEvent): void {
    const specific = this.listeners.get(event.kind);
    const all = this.listeners.get('*');
    if (!specific?.size && !all?.size) return;
    this.counters.dispatched++;
    if (specific) this.callListeners(specific, event);
    if (all) this.callListeners(all, event);
  }

  private callListeners(set: Set<Listener>, event: EdrEvent): void {
    for (const l of set) {
      try {
        (l as (e: EdrEvent) => void)(event);
      } catch (err) {
        // A faulty listener must not take the sensor (or the backend's thread) down.
        this.warn(new Error(`a '${event.kind}' listener threw: ${(err as Error)?.message ?? err}`, { cause: err }));
      }
    }
  }

  private warn(err: Error): void {
    this.counters.warnings++;
    if (this.earlyWarnings && !this.listeners.get('warning')?.size) {
      if (this.earlyWarnings.length < MAX_EARLY_WARNINGS) this.earlyWarnings.push(err);
      return;
    }
    this.emitControl('warning', err);
  }

  private fatal(err: Error): void {
    if (this.state !== 'open') return;
    this.emitStop(`error: ${err.message}`);
    this.failure = err;
    for (const c of this.consumers) c.fail(err, false);
    this.emitControl('error', err);
    this.finish('ended');
    void this.backend.stop().catch(() => {});
  }

  private finish(state: 'ended' | 'closed'): void {
    if (this.state !== 'open') return;
    this.emitStop(state === 'ended' ? 'end of input' : 'closed');
    this.state = state;
    for (const c of this.consumers) c.end();
    this.emitControl('end');
    this.notifyReady();
    this.resolveDone();
  }

  private emitControl(kind: 'warning' | 'error' | 'end', arg?: Error): void {
    for (const l of this.listeners.get(kind) ?? []) {
      try {
        (l as (e?: Error) => void)(arg);
      } catch {
        // Errors in control listeners have nowhere safer to go; the stream goes on.
      }
    }
  }

  // ---- back-pressure for pausable backends ------------------------------------------

  private ready(): Promise<void> {
    if (this.hasRoom()) return Promise.resolve();
    return new Promise((r) => this.readyWaiters.push(r));
  }

  private hasRoom(): boolean {
    if (this.state !== 'open') return true;
    // Half empty, not merely not full: the backend's next batch is many events, not one.
    if (this.prebuffer?.aboveLowWater) return false;
    for (const c of this.consumers) if (c.queue.aboveLowWater) return false;
    return true;
  }

  private notifyReady(): void {
    if (!this.readyWaiters.length || !this.hasRoom()) return;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }

  private newQueue(): EventQueue {
    return new EventQueue(this.maxQueue, this.overflow, (count, reason, stage) => this.lostEvent(count, reason, stage));
  }
}
