/**
 * Path splitting that follows the event's platform, not the host's: an event recorded on
 * Windows is read the same way on a Linux analyst box. Windows paths split on `\` and `/`;
 * POSIX paths (Linux, macOS) on `/` only, because a POSIX file name may contain a backslash.
 * Core's filters and the exporters use these, so OCSF `process.name`, ECS
 * `file.directory` and a `--name` filter agree on what the name of an image is.
 *
 * @module
 */
import type { Platform } from '../events/schema.js';

/** True when `c` separates path components on `platform`. */
export function isPathSeparator(c: string, platform: Platform): boolean {
  return c === '/' || (platform === 'windows' && c === '\\');
}

function lastSeparator(path: string, platform: Platform): number {
  const slash = path.lastIndexOf('/');
  return platform === 'windows' ? Math.max(slash, path.lastIndexOf('\\')) : slash;
}

/**
 * The last path component (`/usr/bin/ls` → `ls`, `C:\Windows\cmd.exe` → `cmd.exe`).
 * A path ending in a separator yields `''`; a path without one is returned whole.
 */
export function baseName(path: string, platform: Platform): string {
  return path.slice(lastSeparator(path, platform) + 1);
}

/**
 * The folder part (`/usr/bin/ls` → `/usr/bin`), or `undefined` when the path has no
 * separator. A root keeps its separator: `/ls` → `/`, `C:\cmd.exe` → `C:\`.
 */
export function dirName(path: string, platform: Platform): string | undefined {
  const i = lastSeparator(path, platform);
  if (i < 0) return undefined;
  if (i === 0) return path.slice(0, 1);
  // `C:` alone names the drive's current folder, not its root: keep the `\`.
  if (platform === 'windows' && i === 2 && path[1] === ':') return path.slice(0, 3);
  return path.slice(0, i);
}

/** The extension without its dot (`a.tar.gz` → `gz`), or `undefined` (also for dot files like `.bashrc`). */
export function extensionOf(path: string, platform: Platform): string | undefined {
  const name = baseName(path, platform);
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return name.slice(dot + 1);
}
