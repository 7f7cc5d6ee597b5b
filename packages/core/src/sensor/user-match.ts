/**
 * User filters that work on every platform: a POSIX uid, a Windows SID or a user name.
 * Each entry's form decides what it is compared with, so one `--user` list can name
 * `0`, `S-1-5-18` and `alice` and mean the same three principals on any host.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Platform, Process } from '../events/schema.js';

/** True when the process runs as one of the compiled users. */
export type UserMatcher = (process: Pick<Process, 'uid' | 'sid' | 'user'>, platform: Platform) => boolean;

const UID = /^\d+$/;
// S-1-<authority>-<sub>…: revision 1 is the only one Windows has ever issued.
const SID = /^S-1-\d+(-\d+)*$/i;

/**
 * Compile a user list (`filter.users` / `filter.excludeUsers`); `undefined` when empty.
 * Throws {@link InvalidArgumentError} naming `option` and the bad entry.
 */
export function compileUserMatcher(entries: readonly string[] | undefined, option: string): UserMatcher | undefined {
  if (entries === undefined || (Array.isArray(entries) && entries.length === 0)) return undefined;
  if (!Array.isArray(entries)) throw new InvalidArgumentError(`filter.${option}: expected an array of uids, SIDs or user names`);
  const uids = new Set<number>();
  const sids = new Set<string>();
  const names: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string' || entry.trim() === '') {
      throw new InvalidArgumentError(`filter.${option}: ${JSON.stringify(entry)} is not a uid, SID or user name`);
    }
    if (UID.test(entry)) {
      const uid = Number(entry);
      if (!Number.isSafeInteger(uid)) throw new InvalidArgumentError(`filter.${option}: uid ${entry} is out of range`);
      uids.add(uid);
    } else if (SID.test(entry)) sids.add(entry.toUpperCase());
    else names.push(entry);
  }
  const posixNames = new Set(names);
  // Windows account names are case-insensitive; `alice` also names `DOMAIN\alice`.
  const windowsNames = new Set(names.map((n) => n.toLowerCase()));
  return (p, platform) => {
    if (p.uid !== undefined && uids.has(p.uid)) return true;
    if (p.sid !== undefined && sids.has(p.sid.toUpperCase())) return true;
    if (p.user === undefined || names.length === 0) return false;
    if (platform !== 'windows') return posixNames.has(p.user);
    const user = p.user.toLowerCase();
    return windowsNames.has(user) || windowsNames.has(user.slice(user.lastIndexOf('\\') + 1));
  };
}
