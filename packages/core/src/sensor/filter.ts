/**
 * Event filters. The same {@link EventFilter} is handed to the backend (which applies
 * what it can in the kernel: pids, uids, process names) and always re-applied in JS,
 * so every backend filters identically whatever it managed to do early.
 *
 * @module
 */
import picomatch from 'picomatch';
import { InvalidArgumentError } from '../errors.js';
import type { EdrEvent } from '../events/schema.js';

/** What events a sensor keeps. Every list is "any of"; all given criteria must hold. */
export interface EventFilter {
  /** Keep only events whose acting process has one of these pids. */
  pids?: readonly number[];
  /** Drop events whose acting process has one of these pids. */
  excludePids?: readonly number[];
  /** Keep only events whose acting process has one of these parent pids. */
  ppids?: readonly number[];
  /** Keep only events of these user ids. */
  uids?: readonly number[];
  /** Drop events of these user ids. */
  excludeUids?: readonly number[];
  /**
   * Keep only events whose process image matches: an absolute path prefix
   * (`/usr/bin/`) or a glob (`/usr/bin/*sh`, `**\/python3*`).
   */
  exe?: readonly string[];
  /** Keep only events whose process name (basename of the image) is one of these, or matches the glob. */
  names?: readonly string[];
  /**
   * Keep only file events whose path matches (prefix or glob). Non-file events pass.
   */
  paths?: readonly string[];
  /**
   * Report the embedding process's own activity (default false: a sensor that logs
   * its own writes would feed on itself).
   */
  includeSelf?: boolean;
}

/** A compiled filter: `test(event)` is true when the event is kept. */
export interface CompiledFilter {
  readonly filter: EventFilter;
  test(event: EdrEvent): boolean;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** Compile a prefix-or-glob list into one matcher. */
export function compilePathPatterns(patterns: readonly string[], option: string): (path: string) => boolean {
  const tests = patterns.map((p) => {
    if (typeof p !== 'string' || p.length === 0) {
      throw new InvalidArgumentError(`filter.${option}: expected non-empty strings, got ${JSON.stringify(p)}`);
    }
    if (GLOB_CHARS.test(p)) {
      const m = picomatch(p, { dot: true });
      return (s: string) => m(s);
    }
    return (s: string) => s.startsWith(p);
  });
  return (s) => tests.some((t) => t(s));
}

function checkIds(ids: readonly number[] | undefined, option: string): Set<number> | undefined {
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids)) throw new InvalidArgumentError(`filter.${option}: expected an array of integers`);
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0) {
      throw new InvalidArgumentError(`filter.${option}: ${JSON.stringify(id)} is not a non-negative integer`);
    }
  }
  return new Set(ids);
}

function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

function filePaths(event: EdrEvent): string[] | undefined {
  switch (event.kind) {
    case 'file.create':
    case 'file.open':
    case 'file.modify':
    case 'file.delete':
    case 'file.attr':
      return [event.file.path];
    case 'file.rename':
      return [event.file.path, event.target.path];
    default:
      return undefined;
  }
}

/**
 * Compile a filter once; throws {@link InvalidArgumentError} naming the bad option.
 * `selfPid` is the embedding process, dropped unless `includeSelf`.
 */
export function compileFilter(filter: EventFilter = {}, selfPid: number = process.pid): CompiledFilter {
  const pids = checkIds(filter.pids, 'pids');
  const excludePids = checkIds(filter.excludePids, 'excludePids') ?? new Set<number>();
  if (!filter.includeSelf) excludePids.add(selfPid);
  const ppids = checkIds(filter.ppids, 'ppids');
  const uids = checkIds(filter.uids, 'uids');
  const excludeUids = checkIds(filter.excludeUids, 'excludeUids');
  const exe = filter.exe?.length ? compilePathPatterns(filter.exe, 'exe') : undefined;
  const names = filter.names?.length ? compilePathPatterns(filter.names, 'names') : undefined;
  const paths = filter.paths?.length ? compilePathPatterns(filter.paths, 'paths') : undefined;

  return {
    filter,
    test(event) {
      if (event.kind === 'sensor.lost') return true; // loss is always reported
      const p = event.process;
      if (excludePids.has(p.pid)) return false;
      if (pids && !pids.has(p.pid)) return false;
      if (ppids && !ppids.has(p.ppid)) return false;
      if (uids && (p.uid === undefined || !uids.has(p.uid))) return false;
      if (excludeUids && p.uid !== undefined && excludeUids.has(p.uid)) return false;
      if (exe && !exe(p.exe)) return false;
      if (names && !names(basename(p.exe))) return false;
      if (paths) {
        const fp = filePaths(event);
        if (fp && !fp.some(paths)) return false;
      }
      return true;
    },
  };
}
