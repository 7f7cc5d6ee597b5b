/**
 * The sensor's process table: what it knows of each live process, so every event can
 * carry `process.parent` (lineage) even when the OS reports only a parent pid.
 * Bounded (LRU) so a fork bomb cannot grow it without limit; exited processes are kept
 * a little while in a small second LRU, because orphans' events may still name them.
 *
 * A process is identified by (pid, start time), not by pid alone: Windows hands a freed pid
 * to the next process within moments, and Linux does so after wrapping `pid_max`. So a
 * parent is only taken for a child when it was alive when the child started (it started no
 * later, and had not exited before). When events carry no start time the table falls back
 * to the pid, and a `process.exit` retires the entry for lineage: a later process given the
 * same pid never inherits the old process's parent or image; its children get no parent
 * (or the backend's lookup) rather than a wrong one.
 *
 * @module
 */
import type { EdrEvent, Process, ProcessRef } from '../events/schema.js';

/** Options of {@link ProcessTable}. */
export interface ProcessTableOptions {
  /** Most live processes remembered (default 32768). */
  maxEntries?: number;
  /** Most pids whose exited processes are remembered for late lineage lookups (default 1024). */
  maxExited?: number;
  /** Fallback for pids never seen (e.g. a backend reading /proc). */
  lookup?: (pid: number) => ProcessRef | undefined;
}

interface Entry extends ProcessRef {
  ppid: number;
  /** `time` of its `process.exit`, once retired. */
  exitTime?: number;
}

/**
 * Start times of one process seen in two events may differ by clock-conversion jitter
 * (microseconds); a pid reused within a millisecond of the old process's start is not a
 * case worth a wrong answer elsewhere.
 */
const SAME_TIME_MS = 1;
/** Exited processes kept per pid: enough for a pid reused a few times in the window. */
const GENERATIONS = 4;

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

/** Lineage tracking over the event stream, keyed by (pid, start time). */
export class ProcessTable {
  private readonly live: Lru<Entry>;
  private readonly exited: Lru<Entry[]>;
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

  /**
   * The process with `pid` that was alive at `aliveAt` (ms since the epoch): live, recently
   * exited, or from the lookup fallback. Without `aliveAt`, the live process with that pid
   * (exited ones are retired), else the lookup.
   */
  get(pid: number, aliveAt?: number): ProcessRef | undefined {
    const live = this.live.get(pid);
    if (live && (aliveAt === undefined || startedBy(live, aliveAt))) return toRef(live);
    if (aliveAt !== undefined) {
      const gens = this.exited.get(pid) ?? [];
      for (let i = gens.length - 1; i >= 0; i--) {
        const g = gens[i] as Entry;
        if (startedBy(g, aliveAt) && (g.exitTime === undefined || aliveAt <= g.exitTime + SAME_TIME_MS)) return toRef(g);
      }
    }
    // A live process that started after `aliveAt` holds a reused pid: the one asked for is
    // gone, and the lookup (which reads the OS's current view) would name the new one too.
    if (live || !this.lookup) return undefined;
    let ref: ProcessRef | undefined;
    try {
      ref = this.lookup(pid);
    } catch {
      return undefined; // a racing /proc read is not the sensor's failure
    }
    return ref && (aliveAt === undefined || startedBy(ref, aliveAt)) ? ref : undefined;
  }

  /**
   * Fill `process.parent` on the event when missing, then learn from it.
   * Mutates and returns the event.
   */
  enrich<E extends EdrEvent>(event: E): E {
    if (event.kind === 'sensor.lost') return event;
    const p = event.process;
    if (!p.parent && p.ppid > 0 && p.ppid !== p.pid) {
      const parent = this.get(p.ppid, p.startTime);
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
      if (known && !sameProcess(known, p)) {
        // The exit of an older process with this pid, seen after its successor: keep the successor.
        if (known.startTime !== undefined && p.startTime !== undefined && p.startTime < known.startTime) {
          this.retire(p.pid, { ...fromProcess(p), exitTime: event.time });
          return;
        }
        // A newer process than the one known exited: the known one was gone before it started.
        this.live.delete(p.pid);
        this.retire(p.pid, { ...known, exitTime: p.startTime ?? event.time });
        this.retire(p.pid, { ...fromProcess(p), exitTime: event.time });
        return;
      }
      this.live.delete(p.pid);
      this.retire(p.pid, { ...(known ?? fromProcess(p)), exitTime: event.time });
      return;
    }
    if (!known && this.hasExited(p)) return; // a late event of a retired process
    const successor = known !== undefined && !sameProcess(known, p);
    // A late event of a process older than the live one with its pid changes nothing.
    if (successor && known.startTime !== undefined && p.startTime !== undefined && p.startTime < known.startTime) return;
    if (event.kind === 'process.exec' || !known || successor || (known.exe === '' && p.exe !== '')) {
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

  private retire(pid: number, entry: Entry): void {
    const gens = this.exited.get(pid) ?? [];
    if (!gens.some((g) => sameProcess(g, entry))) gens.push(entry);
    this.exited.set(pid, gens.length > GENERATIONS ? gens.slice(-GENERATIONS) : gens);
  }

  private hasExited(p: Process): boolean {
    if (p.startTime === undefined) return false; // without a start time the pid is all we have
    return (this.exited.get(p.pid) ?? []).some((g) => g.startTime !== undefined && sameProcess(g, p));
  }
}

/** Whether two records with one pid are the same process (unknown start times agree with anything). */
function sameProcess(a: { startTime?: number | undefined }, b: { startTime?: number | undefined }): boolean {
  return a.startTime === undefined || b.startTime === undefined || Math.abs(a.startTime - b.startTime) <= SAME_TIME_MS;
}

/** Whether `e` had started by `time` (an unknown start time could have). */
function startedBy(e: { startTime?: number | undefined }, time: number): boolean {
  return e.startTime === undefined || e.startTime <= time + SAME_TIME_MS;
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
