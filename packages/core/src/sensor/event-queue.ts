/**
 * The bounded queue between the sensor and one consumer. When it is full the overflow
 * policy decides what goes, every dropped event is counted, and the count travels in
 * the queue itself as a `sensor.lost` marker at the place of the loss — so a consumer
 * always sees `delivered + sum(lost.count) === produced`.
 *
 * @module
 */
import type { EdrEvent, EventOfKind } from '../events/schema.js';

/**
 * What to do when a consumer's queue is full:
 * - `drop-newest` (default): keep what is queued, drop the arriving event;
 * - `drop-oldest`: drop the oldest queued event to make room (freshest data wins);
 * - `error`: end the consumer's stream with an `ERR_QUEUE_OVERFLOW` error.
 */
export type OverflowPolicy = 'drop-newest' | 'drop-oldest' | 'error';

/** The list of overflow policies, for option validation. */
export const OVERFLOW_POLICIES: readonly OverflowPolicy[] = ['drop-newest', 'drop-oldest', 'error'];

type LostEvent = EventOfKind<'sensor.lost'>;

/** `sensor.lost`, `sensor.start`, `sensor.stop`: outside the capacity, never dropped. */
function isSensorEvent(event: EdrEvent): boolean {
  return event.kind === 'sensor.lost' || event.kind === 'sensor.start' || event.kind === 'sensor.stop';
}

/** Creates the `sensor.lost` marker for a loss; the sensor supplies seq, time and platform. */
export type LostFactory = (count: number, reason: string, stage: 'queue') => LostEvent;

/** Result of {@link EventQueue.push}. */
export type PushResult = 'queued' | 'dropped' | 'overflow';

/**
 * A FIFO ring of events with a capacity. Loss markers do not count toward the capacity
 * (they are coalesced, so there is at most one per queued event) and are never dropped;
 * nor are the sensor's `sensor.start` / `sensor.stop` (at most one each per stream).
 */
export class EventQueue {
  private items: (EdrEvent | undefined)[] = [];
  private head = 0;
  /** Events currently queued, loss markers excluded. */
  private events = 0;
  /** Events dropped by this queue so far. */
  dropped = 0;

  constructor(
    readonly capacity: number,
    readonly overflow: OverflowPolicy,
    private readonly makeLost: LostFactory,
  ) {}

  /** Number of entries waiting (events and loss markers). */
  get length(): number {
    return this.items.length - this.head;
  }

  /** True while more than half the capacity is taken: a paused producer waits until it is not, so a whole batch fits. */
  get aboveLowWater(): boolean {
    return this.events > this.capacity / 2;
  }

  /** True when another event would overflow. */
  get full(): boolean {
    return this.events >= this.capacity;
  }

  /** Add an event, applying the overflow policy when full. */
  push(event: EdrEvent): PushResult {
    if (isSensorEvent(event)) {
      // Upstream loss reports are never dropped: they are the accounting. Nor are the
      // sensor's start/stop events: a stream must always say when it began and ended.
      this.items.push(event);
      return 'queued';
    }
    if (this.events < this.capacity) {
      this.items.push(event);
      this.events++;
      return 'queued';
    }
    if (this.overflow === 'error') return 'overflow';
    this.dropped++;
    if (this.overflow === 'drop-newest') {
      const tail = this.items[this.items.length - 1];
      if (this.length > 0 && isQueueMarker(tail)) tail.lost.count++;
      else this.items.push(this.marker());
      return 'dropped';
    }
    // drop-oldest: remove the oldest real event, leave a marker where it was.
    this.dropOldestEvent();
    this.items.push(event);
    return 'dropped';
  }

  /** Take the next entry, or undefined when empty. */
  shift(): EdrEvent | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (item && !isSensorEvent(item)) this.events--;
    return item;
  }

  /** Remove everything (on close). Returns how many real events were discarded. */
  clear(): number {
    const n = this.events;
    this.items = [];
    this.head = 0;
    this.events = 0;
    return n;
  }

  private marker(): LostEvent {
    const lost = this.makeLost(1, `consumer queue full (maxQueue=${this.capacity}, overflow=${this.overflow})`, 'queue');
    queueMarkers.add(lost);
    return lost;
  }

  private dropOldestEvent(): void {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (!item || isSensorEvent(item)) continue;
      // Coalesce with a queue marker just before it, else put a marker in its place.
      const prev = i > this.head ? this.items[i - 1] : undefined;
      if (isQueueMarker(prev)) {
        prev.lost.count++;
        // Everything before i is a loss marker (few): slide them right over the dropped slot.
        for (let j = i; j > this.head; j--) this.items[j] = this.items[j - 1];
        this.items[this.head] = undefined;
        this.head++;
      } else {
        this.items[i] = this.marker();
      }
      this.events--;
      return;
    }
  }
}

// Markers this module created and may still coalesce into (upstream sensor.lost events are not).
const queueMarkers = new WeakSet<object>();
function isQueueMarker(e: EdrEvent | undefined): e is LostEvent {
  return e !== undefined && queueMarkers.has(e);
}
