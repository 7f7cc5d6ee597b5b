/**
 * The sensor's process table: what it knows of each live process, so every event can
 * carry `process.parent` (lineage) even when the OS reports only a parent pid.
 * Bounded (LRU) so a fork bomb cannot grow it without limit; exited processes are kept
 * a little while in a small second LRU, because orphans' events may still name them.
 *
 * @module
 */
import type { EdrEvent, ProcessRef } from '../events/schema.js';

/** Options of {@link ProcessTable}. */
export interface ProcessTableOptions {
  /** Most live processes remembered (default 32768). */
  maxEntries?: number;
  /** Most exited processes remembered for late lineage lookups (default 1024). */
  maxExited?: number;
  /** Fallback for pids never seen (e.g. a backend reading /proc). */
  lookup?: (pid: number) => ProcessRef | undefined;
}

interface Entry extends ProcessRef {
  ppid: number;
}

/** A bounded LRU map (Map keeps insertion order; re-inserting on use moves to the end). */
class Lru<V> {
  private readonly map = new Map<number, V>();
  constructor(private readonly max: number) {}
  get size(): number {
    return this.map.size;
  }
  get(key: number): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: number, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }
  delete(key: number): V | undefined {
    const v = this.map.get(key);
    this.map.delete(key);
    return v;
  }
}

/** Lineage tracking over the event stream. */
export class ProcessTable {
  private readonly live: Lru<Entry>;
  private readonly exited: Lru<Entry>;
  private readonly lookup: ((pid: number) => ProcessRef | undefined) | undefined;

  constructor(options: ProcessTableOptions = {}) {
    this.live = new Lru(options.maxEntries ?? 32768);
    this.exited = new Lru(options.maxExited ?? 1024);
    this.lookup = options.lookup;
  }

  /** Number of live processes tracked. */
  get size(): number {
    return this.live.size;
  }

  /** What the table knows of `pid`: live, recently exited, or from the lookup fallback. */
  get(pid: number): ProcessRef | undefined {
    const e = this.live.get(pid) ?? this.exited.get(pid);
    if (e) return toRef(e);
    if (!this.lookup) return undefined;
    try {
      return this.lookup(pid);
    } catch {
      return undefined; // a racing /proc read is not the sensor's failure
    }
  }

  /**
   * Fill `process.parent` on the event when missing, then learn from it.
   * Mutates and returns the event.
   */
  enrich<E extends EdrEvent>(event: E): E {
    if (event.kind === 'sensor.lost') return event;
    const p = event.process;
    if (!p.parent && p.ppid > 0 && p.ppid !== p.pid) {
      const parent = this.get(p.ppid);
      if (parent) p.parent = parent;
    }
    this.learn(event);
    return event;
  }

  /** Update the table from an event (exec replaces the image; fork adds the child; exit retires). */
  learn(event: EdrEvent): void {
    if (event.kind === 'sensor.lost') return;
    const p = event.process;
    const known = this.live.get(p.pid);
    if (event.kind === 'process.exit') {
      const gone = this.live.delete(p.pid);
      this.exited.set(p.pid, gone ?? fromProcess(p));
      return;
    }
    if (event.kind === 'process.exec' || !known || (known.exe === '' && p.exe !== '')) {
      this.live.set(p.pid, fromProcess(p));
    }
    if (event.kind === 'process.fork') {
      // Until it execs, the child runs its parent's image.
      this.live.set(event.child.pid, {
        pid: event.child.pid,
        ppid: p.pid,
        exe: p.exe,
        cmdline: p.cmdline,
        ...(event.child.startTime !== undefined ? { startTime: event.child.startTime } : {}),
      });
    }
  }
}

function fromProcess(p: { pid: number; ppid: number; exe: string; cmdline: string; startTime?: number | undefined }): Entry {
  return { pid: p.pid, ppid: p.ppid, exe: p.exe, cmdline: p.cmdline, ...(p.startTime !== undefined ? { startTime: p.startTime } : {}) };
}

function toRef(e: Entry): ProcessRef {
  const ref: ProcessRef = { pid: e.pid, exe: e.exe };
  if (e.cmdline !== undefined) ref.cmdline = e.cmdline;
  if (e.startTime !== undefined) ref.startTime = e.startTime;
  return ref;
}
