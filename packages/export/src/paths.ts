/**
 * Path splitting that follows the event's platform: Windows paths split on `\` and `/`,
 * POSIX paths on `/` only (a POSIX file name may contain a backslash).
 *
 * @module
 */
import type { Platform } from '@edrkit/core';

function lastSeparator(path: string, platform: Platform): number {
  const slash = path.lastIndexOf('/');
  return platform === 'windows' ? Math.max(slash, path.lastIndexOf('\\')) : slash;
}

/** The last path component (`/usr/bin/ls` -> `ls`). A path ending in a separator yields `''`. */
export function baseName(path: string, platform: Platform): string {
  return path.slice(lastSeparator(path, platform) + 1);
}

/** The folder part (`/usr/bin/ls` -> `/usr/bin`), or `undefined` when the path has no separator. */
export function dirName(path: string, platform: Platform): string | undefined {
  const i = lastSeparator(path, platform);
  if (i < 0) return undefined;
  if (i === 0) return path.slice(0, 1);
  return path.slice(0, i);
}

/** The extension without its dot (`a.tar.gz` -> `gz`), or `undefined` (also for dot files like `.bashrc`). */
export function extensionOf(path: string, platform: Platform): string | undefined {
  const name = baseName(path, platform);
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return name.slice(dot + 1);
}
