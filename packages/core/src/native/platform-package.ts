/**
 * Prebuilt native files in per-platform packages. A package with native code (the Linux
 * addon, the plugin launcher, a macOS addon) is published without binaries; its binaries go
 * to one package per target, `@edrkit/<os>-<cpu>[-<libc>]`, whose `os`/`cpu`/`libc` fields let
 * npm install it only where it runs, listed as `optionalDependencies` of the packages that
 * need it (added at pack time: scripts/pack.mjs). This module names the target of this host
 * and finds a file in its package, or says exactly which package is missing and how to get it.
 *
 * Platform-neutral on purpose: it knows package naming, not what any backend does.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** What a prebuilt binary is built for. */
export interface NativeTarget {
  /** `process.platform`. */
  platform: string;
  /** `process.arch`. */
  arch: string;
  /** The C library on Linux (binaries for one do not load on the other); absent elsewhere. */
  libc?: 'glibc' | 'musl';
}

/** The C library this Linux process runs on (Node's report names the glibc version; musl has none). */
export function hostLibc(): 'glibc' | 'musl' {
  const report = process.report as { excludeNetwork?: boolean; getReport(): object };
  const exclude = report.excludeNetwork;
  report.excludeNetwork = true; // no DNS lookups for a field we do not read
  try {
    const header = (report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    return header?.glibcVersionRuntime ? 'glibc' : 'musl';
  } finally {
    report.excludeNetwork = exclude;
  }
}

/** This process's target. */
export function hostTarget(): NativeTarget {
  return process.platform === 'linux' ? { platform: process.platform, arch: process.arch, libc: hostLibc() } : { platform: process.platform, arch: process.arch };
}

/** `linux-x64-gnu`, `linux-arm64-musl`, `darwin-arm64`: the suffix of a platform package's name. */
export function targetId(target: NativeTarget): string {
  const libc = target.libc === 'glibc' ? '-gnu' : target.libc === 'musl' ? '-musl' : '';
  return `${target.platform}-${target.arch}${libc}`;
}

/** The platform package that holds the binaries for `target` (`@edrkit/linux-x64-gnu`). */
export function platformPackageName(target: NativeTarget = hostTarget()): string {
  return `@edrkit/${targetId(target)}`;
}

/** Where a native file was found, or why it was not. */
export type PlatformFileResult = { found: true; path: string; packageName: string } | { found: false; packageName: string; reason: string };

/**
 * Find `file` in the platform package of `target`, resolved from the package at
 * `packageRoot` (whose package.json lists the platform packages it was published with as
 * optionalDependencies). When it is not found, `reason` names the package and the fix.
 */
export function findPlatformFile(packageRoot: string, file: string, target: NativeTarget = hostTarget()): PlatformFileResult {
  const packageName = platformPackageName(target);
  let manifest: { name?: string; version?: string; optionalDependencies?: Record<string, string> } = {};
  try {
    manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    // No readable package.json: the messages below name the package without a version.
  }
  const owner = manifest.name ?? path.basename(packageRoot);
  const version = manifest.optionalDependencies?.[packageName] ?? manifest.version;
  const spec = version ? `${packageName}@${version}` : packageName;
  const require = createRequire(path.join(packageRoot, 'package.json'));
  try {
    return { found: true, path: require.resolve(`${packageName}/${file}`), packageName };
  } catch {
    // Not installed, or installed without the file: told apart below.
  }
  const published = Object.keys(manifest.optionalDependencies ?? {}).filter((n) => n.startsWith('@edrkit/'));
  const libc = target.libc ? ` (${target.libc})` : '';
  if (published.length > 0 && !published.includes(packageName)) {
    return {
      found: false,
      packageName,
      reason: `${owner} has no prebuilt binaries for ${target.platform}-${target.arch}${libc}; prebuilt: ${published.map((n) => n.slice('@edrkit/'.length)).join(', ')}. Build them from a clone of https://github.com/edrkit/edrkit ('npm run setup')`,
    };
  }
  let installed = false;
  try {
    require.resolve(`${packageName}/package.json`);
    installed = true;
  } catch {
    // Not installed.
  }
  if (installed) return { found: false, packageName, reason: `${spec} is installed but has no ${file}: reinstall it ('npm install ${spec}')` };
  return {
    found: false,
    packageName,
    reason:
      `the platform package ${spec} is not installed. npm installs it with ${owner} as an optional dependency on ${target.platform}-${target.arch}${libc}; ` +
      `it was skipped (--omit=optional, or a lockfile written on another OS or CPU). Install it: 'npm install ${spec}'`,
  };
}
