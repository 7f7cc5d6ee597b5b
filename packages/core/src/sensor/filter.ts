/**
 * Event filters. The same {@link EventFilter} is handed to the backend (which applies
 * what it can in the kernel: pids, uids, process names) and always re-applied in JS,
 * so every backend filters identically whatever it managed to do early.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { EdrEvent, Platform } from '../events/schema.js';
import { compilePathMatcher } from '../paths/path-match.js';
import { baseName } from '../paths/platform-paths.js';
import { compileUserMatcher, type UserMatcher } from './user-match.js';

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
   * Keep only events of these users, each given as a POSIX uid (`1000`), a Windows SID
   * (`S-1-5-18`, any case) or a user name (`alice`; on Windows case-insensitive, and a bare
   * name also matches `DOMAIN\alice`). Names and SIDs are compared in JS only.
   */
  users?: readonly string[];
  /** Drop events of these users (uid, SID or name, as in {@link EventFilter.users}). */
  excludeUsers?: readonly string[];
  /**
   * Keep only events whose process image matches: an absolute path prefix
   * (`/usr/bin/`, `C:\Windows\`) or a glob (`/usr/bin/*sh`, `**\/python3*`,
   * `c:\windows\system32\*`). Matched by the rules of the event's `platform`: on
   * Windows case-insensitive, with `\` a separator (never an escape); on macOS
   * case-insensitive unless {@link EventFilter.macosCaseSensitive}; on Linux exact.
   */
  exe?: readonly string[];
  /** Keep only events whose process name (basename of the image) is one of these, or matches the glob. */
  names?: readonly string[];
  /**
   * Keep only file events whose path matches (prefix or glob, by the platform's rules as
   * for `exe`). Non-file events pass.
   */
  paths?: readonly string[];
  /**
   * Compare macOS paths and names case-sensitively. Default false: APFS and HFS+ volumes
   * are case-insensitive unless formatted otherwise; set this when the watched volume is
   * case-sensitive APFS, so `/Users/a/X` and `/Users/a/x` stay different files.
   */
  macosCaseSensitive?: boolean;
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

type PlatformMatcher = Readonly<Record<Platform, (path: string) => boolean>>;

/**
 * Compile a prefix-or-glob list into one matcher, for paths of `platform` (default
 * `linux`); see {@link EventFilter.exe} for each platform's rules.
 */
export function compilePathPatterns(
  patterns: readonly string[],
  option: string,
  platform: Platform = 'linux',
  caseSensitive?: boolean,
): (path: string) => boolean {
  return compilePathMatcher(patterns, option, platform, caseSensitive !== undefined ? { caseSensitive } : {});
}

/** One matcher per platform: an event is matched by the rules of the platform it came from. */
function perPlatform(patterns: readonly string[] | undefined, option: string, macosCaseSensitive: boolean): PlatformMatcher | undefined {
  if (!patterns?.length) return undefined;
  if (!Array.isArray(patterns)) throw new InvalidArgumentError(`filter.${option}: expected an array of strings`);
  return {
    linux: compilePathMatcher(patterns, option, 'linux'),
    macos: compilePathMatcher(patterns, option, 'macos', { caseSensitive: macosCaseSensitive }),
    windows: compilePathMatcher(patterns, option, 'windows'),
  };
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
  const users: UserMatcher | undefined = compileUserMatcher(filter.users, 'users');
  const excludeUsers: UserMatcher | undefined = compileUserMatcher(filter.excludeUsers, 'excludeUsers');
  const macosCase = filter.macosCaseSensitive === true;
  const exe = perPlatform(filter.exe, 'exe', macosCase);
  const names = perPlatform(filter.names, 'names', macosCase);
  const paths = perPlatform(filter.paths, 'paths', macosCase);

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
      if (users && !users(p, event.platform)) return false;
      if (excludeUsers && excludeUsers(p, event.platform)) return false;
      if (exe && !exe[event.platform](p.exe)) return false;
      if (names && !names[event.platform](baseName(p.exe, event.platform))) return false;
      if (paths) {
        const fp = filePaths(event);
        if (fp && !fp.some(paths[event.platform])) return false;
      }
      return true;
    },
  };
}
