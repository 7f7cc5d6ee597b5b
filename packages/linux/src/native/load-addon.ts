/**
 * Loads the Node-API addon: a checkout's build/Release, else the platform package of this host
 * (`@edrkit/linux-x64-gnu`, an optional dependency of the published @edrkit/linux). The BPF
 * object is embedded in the addon. A missing file is an {@link EdrkitError}
 * `ERR_NATIVE_MISSING` naming it and the remedy that fits a checkout or an installed package.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdrkitError } from '@edrkit/core';
import { findPlatformFile } from '@edrkit/core/internal';
import type { LinuxAddonApi } from './addon-api.js';

/** The package root (same depth from src/ and dist/). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Where `npm run build:native` puts the BPF object in a checkout. The addon embeds it at build
 * time, so an installed package has no such file and needs none; pass it as `objectPath`
 * only to load a file instead of the embedded copy.
 */
export const DEFAULT_BPF_OBJECT = path.join(PACKAGE_ROOT, 'bpf/edrkit.bpf.o');

/** How `doctor` and the probe's details name the BPF object built into the addon. */
export const EMBEDDED_BPF_OBJECT = 'embedded in the addon';

export type { NativeError, NativeHandle, NativeOpenOptions, NativeOpenResult } from './addon-api.js';

/** The addon's exports (the same interface as {@link LinuxAddonApi}; the older name). */
export type EdrkitAddon = LinuxAddonApi;

/** The addon's file name, in a checkout's build/Release/ and in the platform package. */
export const ADDON_FILE = 'edrkit_linux.node';

/** The repository checkout this package sits in, if it does (packages/linux beside scripts/). */
function checkout(root: string): string | undefined {
  const repo = path.resolve(root, '../..');
  return existsSync(path.join(repo, 'scripts/build-native.mjs')) ? repo : undefined;
}

/**
 * How to get the native files back. In a clone of the repository, `npm run build:native`
 * builds them; an installed package has no such script: its addon comes from the platform
 * package (`@edrkit/linux-x64-gnu`, …), so there the remedy names that package.
 */
export function nativeRemedy(root: string = PACKAGE_ROOT): string {
  const repo = checkout(root);
  if (repo) return `build it with 'npm run build:native' in ${repo} (needs clang, bpftool, libbpf-dev, libelf-dev, zlib1g-dev; 'npm run setup' installs them)`;
  const found = findPlatformFile(root, ADDON_FILE);
  return found.found ? `reinstall ${found.packageName}` : found.reason;
}

let cached: EdrkitAddon | undefined;

/**
 * Load the addon once: a checkout's own build (build/Release, from `npm run build:native`)
 * first, else the one in this host's platform package. Throws ERR_NATIVE_MISSING naming what
 * was looked for and the fix that fits a checkout or an installed package.
 */
export function loadAddon(root: string = PACKAGE_ROOT): EdrkitAddon {
  if (cached && root === PACKAGE_ROOT) return cached;
  const local = path.join(root, 'build/Release', ADDON_FILE);
  let file = local;
  if (!existsSync(local)) {
    const found = checkout(root) ? undefined : findPlatformFile(root, ADDON_FILE);
    if (!found?.found) {
      throw new EdrkitError('ERR_NATIVE_MISSING', `the linux-ebpf addon is missing (looked for ${local}${found ? ` and ${found.packageName}/${ADDON_FILE}` : ''}): ${found ? found.reason : nativeRemedy(root)}`);
    }
    file = found.path;
  }
  try {
    const addon = createRequire(import.meta.url)(file) as EdrkitAddon;
    if (root === PACKAGE_ROOT) cached = addon;
    return addon;
  } catch (err) {
    throw new EdrkitError('ERR_NATIVE_MISSING', `the linux-ebpf addon ${file} cannot be loaded (${(err as Error).message.split('\n')[0]}): ${nativeRemedy(root)}`, { cause: err });
  }
}

/** Check a BPF object file named by `objectPath` exists; throws ERR_NATIVE_MISSING naming it. */
export function requireBpfObject(file: string, root: string = PACKAGE_ROOT, exists: (path: string) => boolean = existsSync): string {
  if (!exists(file)) {
    const remedy = checkout(root) && file === DEFAULT_BPF_OBJECT ? nativeRemedy(root) : 'leave objectPath out to load the object embedded in the addon';
    throw new EdrkitError('ERR_NATIVE_MISSING', `the BPF object ${file} (backendOptions.objectPath) is missing: ${remedy}`);
  }
  return file;
}
