/**
 * Which directories the watched-file derivations read, and what each one feeds. The
 * directory inode numbers go to the kernel (edrkit_cw_dirs), which then reports only the
 * close-after-write of files directly inside them.
 *
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ObservableKind } from '@edrkit/core';

/** What a directory's files are. */
export type WatchedSource =
  | 'etc' // /etc: passwd, shadow, group (accounts) and crontab (system crontab)
  | 'crontab-system' // /etc/cron.d
  | 'crontab-user' // /var/spool/cron/crontabs: file name = user
  | 'cron-period' // /etc/cron.{hourly,daily,weekly,monthly}: scripts run by run-parts
  | 'at' // /var/spool/cron/atjobs
  | 'units' // systemd unit directories
  | 'sysv' // /etc/init.d
  | 'logs'; // /var/log: wtmp (logons, logoffs) and btmp (failed logons)

/** A watched directory. */
export interface WatchedDir {
  path: string;
  source: WatchedSource;
  /** Set when the directory exists at start. */
  ino?: number;
}

/** The kinds each source can give. */
export const SOURCE_KINDS: Record<WatchedSource, readonly ObservableKind[]> = {
  etc: ['account.create', 'account.modify', 'account.delete', 'task.create', 'task.modify', 'task.delete'],
  'crontab-system': ['task.create', 'task.modify', 'task.delete'],
  'crontab-user': ['task.create', 'task.modify', 'task.delete'],
  'cron-period': ['task.create', 'task.modify', 'task.delete'],
  at: ['task.create', 'task.modify', 'task.delete'],
  units: ['service.create', 'service.modify', 'service.delete', 'task.create', 'task.modify', 'task.delete'],
  sysv: ['service.create', 'service.modify', 'service.delete'],
  logs: ['auth.logon', 'auth.logoff', 'auth.failed'],
};

/** The kinds derived from watched files. */
export const DERIVED_KINDS: ReadonlySet<ObservableKind> = new Set(Object.values(SOURCE_KINDS).flat());

/** systemd's system and user unit search paths (systemd.unit(5)) that hold files admins and packages write. */
export const UNIT_DIRS = ['/etc/systemd/system', '/usr/local/lib/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system', '/etc/systemd/user', '/usr/lib/systemd/user'];

/** Home directories from /etc/passwd text that may hold `~/.config/systemd/user`. */
function userUnitDirs(passwd: string): string[] {
  const out: string[] = [];
  for (const l of passwd.split('\n')) {
    const f = l.split(':');
    if (f.length === 7 && f[5] && f[5].startsWith('/') && f[5] !== '/' && !/\/(nologin|false)$/.test(f[6] ?? '')) out.push(path.join(f[5], '.config/systemd/user'));
  }
  return out;
}

/** The watched directories on this host (root `root`, for tests), with inode numbers of those that exist. */
export function watchList(passwd: string, root = ''): WatchedDir[] {
  const dirs: WatchedDir[] = [
    { path: '/etc', source: 'etc' },
    { path: '/etc/cron.d', source: 'crontab-system' },
    { path: '/var/spool/cron/crontabs', source: 'crontab-user' },
    ...['hourly', 'daily', 'weekly', 'monthly'].map((p) => ({ path: `/etc/cron.${p}`, source: 'cron-period' as const })),
    { path: '/var/spool/cron/atjobs', source: 'at' },
    ...[...UNIT_DIRS, ...userUnitDirs(passwd)].map((p) => ({ path: p, source: 'units' as const })),
    { path: '/etc/init.d', source: 'sysv' },
    { path: '/var/log', source: 'logs' },
  ];
  const seen = new Set<number>();
  const out: WatchedDir[] = [];
  for (const d of dirs) {
    try {
      const st = statSync(root + d.path);
      // /lib is /usr/lib on merged-/usr systems: one directory, watched once (the first name).
      if (!st.isDirectory() || seen.has(st.ino)) continue;
      seen.add(st.ino);
      out.push({ ...d, ino: st.ino });
    } catch {
      out.push(d); // absent now: its files are still recognised by path (renames, deletes)
    }
  }
  return out;
}

/** File names editors and tools use for temporary copies: never a task, service or account file. */
export const TEMP_NAME = /^\.|^tmp\.|^#|~$|\.(swp|swx|tmp|bak|lock|dpkg-[a-z]+|ucf-[a-z]+|rpm[a-z]+)$|[+-]$/;

/** Names of the files in a directory (empty when it cannot be read). */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
