/**
 * The `process` object of events, shared between consecutive events of the same process.
 * Building it (and `raw.linux`) for every event was the converter's largest cost; most
 * events come in runs from one process, so the object is built once and reused while
 * nothing it shows has changed.
 *
 * Sharing is only safe because nothing downstream mutates a shared object: the sensor
 * fills `process.parent` in place when it is missing, so a shared object always carries
 * `parent` already (resolved here from the same cache the sensor would fall back to).
 * When the parent is unknown the object is built per event, and the sensor may fill it.
 *
 * @module
 */
import type { Process, ProcessRef } from '@edrkit/core';
import type { RecordHeader } from '../decode/records.js';
import type { CachedProcess, ProcessCache } from '../proc/process-cache.js';

/** `raw.linux` of events without record-specific extras. */
export interface RawLinux {
  linux: { cgroupId: number; comm: string };
}

/** One process as events show it, with what it was built from (to know when it is stale). */
interface View {
  entry: CachedProcess | undefined;
  parentEntry: CachedProcess | undefined;
  tid: number;
  ppid: number;
  uid: number;
  gid: number;
  startNs: number;
  cgroupId: number;
  comm: string;
  /** {@link ProcessCache.usersGeneration} when built: a changed /etc/passwd rebuilds the view. */
  usersGen: number;
  process: Process;
  raw: RawLinux;
}

/** Shared `process` / `raw` objects per pid, rebuilt when the record or the cache says something changed. */
export class ProcessViews {
  // Attached to the cache entry itself, so a view dies with its entry (exec, eviction).
  private readonly views = new WeakMap<CachedProcess, View>();
  // Processes the cache cannot resolve (no entry): at most one view each, bounded.
  private readonly orphans = new Map<number, View>();

  constructor(
    private readonly cache: ProcessCache,
    private readonly toEpochMs: (bootNs: number) => number,
  ) {}

  /** The `process` of an event with header `h` (shared when safe). */
  process(h: RecordHeader): Process {
    return this.view(h).process;
  }

  /** The shared `raw` of an event with header `h` and no extras. */
  raw(h: RecordHeader): RawLinux {
    return this.view(h).raw;
  }

  /** The view for `h`: the cached one when still exact, else a new one. */
  private view(h: RecordHeader): View {
    const entry = this.cache.get(h.pid);
    const old = entry ? this.views.get(entry) : this.orphans.get(h.pid);
    const usersGen = this.cache.usersGeneration();
    // The parent's cache entry changes identity when the parent execs or is replaced.
    if (old && old.tid === h.tid && old.ppid === h.ppid && old.uid === h.uid && old.gid === h.gid && old.startNs === h.startNs &&
        old.cgroupId === h.cgroupId && old.comm === h.comm && old.usersGen === usersGen && old.entry === entry && this.cache.peek(h.ppid) === old.parentEntry) {
      return old;
    }
    const parentEntry = h.ppid > 0 && h.ppid !== h.pid ? this.cache.get(h.ppid) : undefined;
    const v: View = {
      entry,
      parentEntry,
      tid: h.tid,
      ppid: h.ppid,
      uid: h.uid,
      gid: h.gid,
      startNs: h.startNs,
      cgroupId: h.cgroupId,
      comm: h.comm,
      usersGen,
      process: this.build(h, entry, parentEntry),
      raw: { linux: { cgroupId: h.cgroupId, comm: h.comm } },
    };
    // No parent to show: the sensor may fill `parent` in place, so this object must not be shared.
    const needsParent = h.ppid > 0 && h.ppid !== h.pid && !parentEntry;
    if (needsParent) return v;
    if (entry) this.views.set(entry, v);
    else {
      if (this.orphans.size >= 1024) this.orphans.clear();
      this.orphans.set(h.pid, v);
    }
    return v;
  }

  private build(h: RecordHeader, c: CachedProcess | undefined, parent: CachedProcess | undefined): Process {
    const p: Process = {
      pid: h.pid,
      ppid: h.ppid,
      uid: h.uid,
      gid: h.gid,
      ...userOf(this.cache, h.uid),
      exe: c ? c.exe : '',
      args: c ? c.args : [],
      cmdline: c ? c.cmdline : '',
    };
    if (c?.cwd !== undefined) p.cwd = c.cwd;
    if (h.startNs) p.startTime = this.toEpochMs(h.startNs);
    else if (c?.startTime !== undefined) p.startTime = c.startTime;
    p.tid = h.tid;
    if (c?.containerId) p.container = { id: c.containerId };
    if (c?.fileless) p.fileless = true;
    if (parent) p.parent = parentRef(parent);
    return p;
  }
}

/** `{ user }` when the uid has a name (spread, so `user` is absent rather than undefined). */
function userOf(cache: ProcessCache, uid: number): { user?: string } {
  const user = cache.userName(uid);
  return user === undefined ? {} : { user };
}

/** The parent as the sensor's process table would describe it. */
function parentRef(p: CachedProcess): ProcessRef {
  const ref: ProcessRef = { pid: p.pid, exe: p.exe, cmdline: p.cmdline };
  if (p.startTime !== undefined) ref.startTime = p.startTime;
  return ref;
}
