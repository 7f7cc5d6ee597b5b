/**
 * User names for uids, from the account database file (`/etc/passwd`), so live events carry
 * `process.user` and Sigma rules that test `User` match them.
 *
 * Read in user space, not with getpwuid(3): that may block on NSS (LDAP, sssd) in the
 * event path. Accounts that exist only in NSS sources stay unnamed (`user` absent, `uid`
 * still set). The file is re-read when it changes: its mtime, inode, size or ctime differ
 * (editors and `useradd` replace it by rename, so the inode changes; `vipw` edits in place,
 * so mtime and size do). The check is a stat at most once per `checkIntervalMs`, made by
 * {@link UserNames.name} and by {@link UserNames.refresh} (the backend calls it once per ring
 * batch, so the per-event {@link UserNames.generation} is a field read). Bounded:
 * at most `max` uids are kept (the first ones in the file, as getpwuid(3) would find them).
 *
 * @module
 */
import { readFileSync, statSync, type Stats } from 'node:fs';

/** Options of {@link UserNames}. */
export interface UserNamesOptions {
  /** The account file (default `/etc/passwd`). */
  path?: string;
  /** Most uids kept (default 65536). */
  max?: number;
  /** Least time between two change checks of the file, in ms (default 1000). */
  checkIntervalMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

/** Parse passwd(5) text into uid → name; the first entry of a uid wins; malformed lines are skipped. */
export function parsePasswd(text: string, max = 65_536): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (names.size >= max) break;
    // NIS compat entries (`+`, `-`) and comments name no local account.
    if (line === '' || line.startsWith('#') || line.startsWith('+') || line.startsWith('-')) continue;
    const fields = line.split(':');
    if (fields.length < 7) continue;
    const [name, , uidText] = fields as [string, string, string];
    if (!name || !/^\d{1,10}$/.test(uidText)) continue;
    const uid = Number(uidText);
    if (uid > 0xffff_ffff || names.has(uid)) continue;
    names.set(uid, name);
  }
  return names;
}

/** uid → user name, refreshed when the account file changes. */
export class UserNames {
  private names = new Map<number, string>();
  private signature: string | undefined;
  private nextCheck = -Infinity;
  private gen = 0;
  private readonly path: string;
  private readonly max: number;
  private readonly interval: number;
  private readonly now: () => number;

  constructor(options: UserNamesOptions = {}) {
    this.path = options.path ?? '/etc/passwd';
    this.max = options.max ?? 65_536;
    this.interval = options.checkIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** Uids known (at most `max`). */
  get size(): number {
    return this.names.size;
  }

  /**
   * Changes each time the file was (re-)read: callers that keep derived objects (shared
   * `process` views) compare it to know when a name may have changed. Does not check the
   * file itself (see {@link UserNames.refresh}).
   */
  get generation(): number {
    return this.gen;
  }

  /** The name of `uid`, or undefined when the file does not name it (or cannot be read). */
  name(uid: number): string | undefined {
    this.refresh();
    return this.names.get(uid);
  }

  /** Re-read the file if it changed; a stat at most once per `checkIntervalMs`. */
  refresh(): void {
    const t = this.now();
    if (t < this.nextCheck) return;
    this.nextCheck = t + this.interval;
    let st: Stats;
    try {
      st = statSync(this.path);
    } catch {
      // Missing or unreadable: no names, and read it again once it reappears.
      if (this.signature !== undefined || this.names.size) this.gen++;
      this.signature = undefined;
      this.names = new Map();
      return;
    }
    const signature = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    if (signature === this.signature) return;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return; // replaced between stat and read: the next check sees the new file
    }
    this.signature = signature;
    this.names = parsePasswd(text, this.max);
    this.gen++;
  }
}
