/**
 * The backend's own view of processes, so every event carries a full `process` (exe, args,
 * cwd, start time, container) even though the kernel record only has pids and comm. Seeded by
 * exec records (exact, taken in the kernel at exec time), forks (the child inherits the
 * parent's image until it execs) and, on a miss, /proc/<pid> (racy: see docs/linux.md).
 * Bounded: least recently used entries are evicted.
 *
 * @module
 */
import type { ProcessRef } from '@edrkit/core';
import { readdirSync } from 'node:fs';
import { containerIdFromCgroup } from './container.js';
import { readProc } from './procfs.js';
import type { UserNames } from './user-names.js';

/** What the cache knows about one process. Times are ms since the epoch. */
export interface CachedProcess {
  pid: number;
  ppid: number;
  exe: string;
  args: string[];
  cmdline: string;
  cwd?: string;
  startTime?: number;
  containerId?: string;
  /** The image has no link on disk (an exec of a memfd or of a deleted file). */
  fileless?: boolean;
  /** Where the entry came from. */
  origin: 'exec' | 'fork' | 'proc' | 'unknown';
  /** Its exit was seen. */
  exited?: boolean;
}

/** Options of {@link ProcessCache}. */
export interface ProcessCacheOptions {
  /** Entries kept (default 16384). */
  max?: number;
  /** Converts CLOCK_BOOTTIME ns to ms since the epoch. */
  bootToEpochMs: (bootNs: number) => number;
  /** Read /proc on a miss (default true; tests turn it off). */
  readProc?: boolean;
  /** The /proc root (tests). */
  procRoot?: string;
  /** Resolves `process.user` from uids (the backend passes one reading /etc/passwd; none: no names). */
  users?: UserNames;
}

/** Quote an argument for display in `cmdline` only when it needs it. */
export function joinArgs(args: readonly string[]): string {
  return args.map((a) => (a === '' || /[\s"'\\$`]/.test(a) ? `'${a.replace(/'/g, `'\\''`)}'` : a)).join(' ');
}

/** Bounded pid -> process map with a /proc fallback. */
export class ProcessCache {
  private readonly entries = new Map<number, CachedProcess>();
  private readonly max: number;
  // The most recently used pid: already last in `entries`, so a repeat get() skips the re-insert.
  private mru = -1;
  // Pids whose /proc read failed (gone): not read again until a fork or exec names them.
  private readonly missing = new Set<number>();

  constructor(private readonly options: ProcessCacheOptions) {
    this.max = options.max ?? 16_384;
  }

  /** Number of processes known. */
  get size(): number {
    return this.entries.size;
  }

  /** Record (or replace) a process. */
  set(p: CachedProcess): void {
    this.entries.delete(p.pid);
    this.entries.set(p.pid, p);
    this.mru = p.pid;
    this.missing.delete(p.pid);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** A new process from fork: it runs its parent's image until it execs. */
  fork(parentPid: number, childPid: number, childStartTime: number | undefined): void {
    const parent = this.get(parentPid);
    this.set({
      ...(parent ?? { exe: '', args: [], cmdline: '', origin: 'unknown' as const }),
      pid: childPid,
      ppid: parentPid,
      ...(childStartTime !== undefined ? { startTime: childStartTime } : {}),
      origin: 'fork',
    });
  }

  /**
   * A process exited. Its entry stays (LRU-evicted later) so late events and lineage lookups
   * still resolve it; a recycled pid is overwritten by the fork that creates it.
   */
  exited(pid: number): void {
    const p = this.entries.get(pid);
    if (p) p.exited = true;
  }

  /** The cached process, or a /proc snapshot on a miss (cached too), or undefined. */
  get(pid: number): CachedProcess | undefined {
    const hit = this.entries.get(pid);
    if (hit) {
      if (pid !== this.mru) {
        this.entries.delete(pid);
        this.entries.set(pid, hit);
        this.mru = pid;
      }
      return hit;
    }
    if (this.options.readProc === false || pid <= 0 || this.missing.has(pid)) return undefined;
    const snap = readProc(pid, this.options.procRoot);
    if (!snap) {
      // Gone (or never there): do not read /proc again for every event naming it.
      if (this.missing.size >= this.max) this.missing.clear();
      this.missing.add(pid);
      return undefined;
    }
    const containerId = snap.cgroup ? containerIdFromCgroup(snap.cgroup) : undefined;
    const p: CachedProcess = {
      pid,
      ppid: snap.ppid,
      exe: snap.exe,
      args: snap.args,
      cmdline: joinArgs(snap.args),
      ...(snap.cwd !== undefined ? { cwd: snap.cwd } : {}),
      ...(snap.startNs !== undefined ? { startTime: this.options.bootToEpochMs(snap.startNs) } : {}),
      ...(containerId ? { containerId } : {}),
      origin: 'proc',
    };
    this.set(p);
    return p;
  }

  /** The cached process, without a /proc read or an LRU update (for staleness checks). */
  peek(pid: number): CachedProcess | undefined {
    return this.entries.get(pid);
  }

  /**
   * Snapshot every running process from /proc, so processes that started before the sensor
   * (whose exec was never seen) still resolve when they act or exit. Returns how many.
   */
  seedFromProc(): number {
    let n = 0;
    let pids: string[];
    try {
      pids = readdirSync(this.options.procRoot ?? '/proc').filter((d) => /^\d+$/.test(d));
    } catch {
      return 0;
    }
    for (const d of pids.slice(0, this.max)) if (this.get(Number(d))) n++;
    return n;
  }

  /** The user name of `uid`, when {@link ProcessCacheOptions.users} knows it. */
  userName(uid: number): string | undefined {
    return this.options.users?.name(uid);
  }

  /** Changes when user names may have changed (see {@link UserNames.generation}); 0 without names. */
  usersGeneration(): number {
    return this.options.users?.generation ?? 0;
  }

  /** Let user names follow a change of the account file (see {@link UserNames.refresh}). */
  refreshUsers(): void {
    this.options.users?.refresh();
  }

  /** Lineage lookup for the sensor's process table. */
  lookup(pid: number): ProcessRef | undefined {
    const p = this.get(pid);
    if (!p) return undefined;
    return { pid: p.pid, exe: p.exe, cmdline: p.cmdline, ...(p.startTime !== undefined ? { startTime: p.startTime } : {}) };
  }
}
