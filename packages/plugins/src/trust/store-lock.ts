/**
 * The inter-process lock around every read-modify-write of the trust store. Several edrkit
 * processes share one `EDRKIT_HOME` (a long `plugin run` that quarantines, an operator's
 * `plugin install`, a `revoke`), and without a lock the last writer wins with a stale copy:
 * an anti-rollback floor raised by one process is lowered again by the other.
 *
 * Why proper-lockfile: Node has no `flock`, and a native addon only for that would have to
 * build on every platform. proper-lockfile takes the lock with an atomic `mkdir` (works on
 * Linux, macOS, Windows and network file systems), and a lock left by a crashed process is
 * taken over once its mtime is older than {@link LOCK_STALE_MS}. Its synchronous API takes
 * no retries, so the retry loop with a short sleep is here; the trust store API is
 * synchronous and every critical section is a few file writes.
 *
 * @module
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { PluginError } from '../errors.js';

/** How long a writer waits for another process's lock before giving up. */
export const LOCK_TIMEOUT_MS = 15_000;
/** A lock whose holder has not refreshed it for this long is taken over (its holder died). */
export const LOCK_STALE_MS = 10_000;

const held = new Set<string>();
const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * Run `fn` while holding the trust store lock of `dir` (`dir/store.lock`).
 * @throws {@link PluginError} `ERR_PLUGIN_TRUST_STORE_LOCKED` after {@link LOCK_TIMEOUT_MS},
 *   `ERR_PLUGIN_TRUST_STORE` when the lock cannot be created at all.
 */
export function withStoreLock<T>(dir: string, fn: () => T, timeoutMs = LOCK_TIMEOUT_MS): T {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lockfilePath = path.join(dir, 'store.lock');
  // Re-entrant within this process: a section is synchronous, so a nested call can only come
  // from inside the section that already holds the lock (waiting for it would deadlock).
  if (held.has(lockfilePath)) return fn();
  const deadline = Date.now() + timeoutMs;
  let release: () => void;
  for (let attempt = 0; ; attempt++) {
    try {
      release = lockfile.lockSync(dir, {
        realpath: false,
        lockfilePath,
        stale: LOCK_STALE_MS,
        // The sections are synchronous, so the mtime refresh timer cannot run inside one;
        // the default handler would throw from a timer and end the process.
        onCompromised: () => {},
      });
      break;
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      if (code !== 'ELOCKED') throw new PluginError('ERR_PLUGIN_TRUST_STORE', `${lockfilePath}: cannot take the trust store lock (${code ?? String(cause)})`, { cause });
      if (Date.now() >= deadline) {
        throw new PluginError('ERR_PLUGIN_TRUST_STORE_LOCKED', `${lockfilePath}: another edrkit process has held the trust store lock for more than ${timeoutMs} ms; retry, or remove the lock directory if no edrkit process is running`, { cause });
      }
      // Short, jittered waits: critical sections last milliseconds.
      sleep(Math.min(50, 2 + attempt) + Math.random() * 5);
    }
  }
  held.add(lockfilePath);
  try {
    return fn();
  } finally {
    held.delete(lockfilePath);
    release();
  }
}
