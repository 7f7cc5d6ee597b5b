/**
 * The host facts the macOS backends check before they start, behind one interface so that
 * tests on Linux can describe a Mac (and a Mac without root) without being one.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** What the macOS backends ask of the host. */
export interface MacosHostApi {
  /** `process.platform` of the host. */
  readonly platform: NodeJS.Platform;
  /** True when the process runs as root (euid 0). */
  isRoot(): boolean;
  /** The macOS product version (`15.4.1`), or undefined when unknown. */
  macosVersion(): string | undefined;
  /** True when `path` is an executable file. */
  isExecutable(path: string): boolean;
}

let version: string | undefined | null = null;

/** The real host. */
export const realHost: MacosHostApi = {
  platform: process.platform,
  isRoot: () => process.geteuid?.() === 0,
  macosVersion() {
    if (process.platform !== 'darwin') return undefined;
    if (version === null) {
      try {
        version = execFileSync('/usr/bin/sw_vers', ['-productVersion'], { encoding: 'utf8', timeout: 5000 }).trim() || undefined;
      } catch {
        version = undefined;
      }
    }
    return version;
  },
  isExecutable(path) {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

/** `a >= b` for dotted versions (`13.0`, `15.4.1`). */
export function versionAtLeast(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}
