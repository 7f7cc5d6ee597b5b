/**
 * Loads the Node-API addon (node-gyp-build: prebuilds/ first, then build/Release) and locates
 * the BPF object. A missing file is an {@link EdrkitError} `ERR_NATIVE_MISSING` naming it and
 * the remedy that fits a repository checkout or an installed package.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdrkitError } from '@edrkit/core';
import type { LinuxAddonApi } from './addon-api.js';

/** The package root (same depth from src/ and dist/). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where `npm run build:native` puts the BPF object. */
export const DEFAULT_BPF_OBJECT = path.join(PACKAGE_ROOT, 'bpf/edrkit.bpf.o');

export type { NativeError, NativeHandle, NativeOpenOptions, NativeOpenResult } from './addon-api.js';

/** The addon's exports (the same interface as {@link LinuxAddonApi}; the older name). */
export type EdrkitAddon = LinuxAddonApi;

/**
 * How to get the native files back. In a clone of the repository, `npm run build:native`
 * builds them; an installed package has no such script (its addon and BPF object ship in
 * prebuilds/ and bpf/), so there the remedy is a reinstall, or a build from a clone for an
 * architecture without a prebuilt addon.
 */
export function nativeRemedy(root: string = PACKAGE_ROOT): string {
  const repo = path.resolve(root, '../..');
  if (existsSync(path.join(repo, 'scripts/build-native.mjs'))) {
    return `build it with 'npm run build:native' in ${repo} (needs clang, bpftool, libbpf-dev, libelf-dev, zlib1g-dev; 'npm run setup' installs them)`;
  }
  let version = '';
  try {
    version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    // No readable package.json: name the package without a version.
  }
  const spec = `@edrkit/linux${version ? `@${version}` : ''}`;
  return `this ${spec} install is incomplete or has no prebuilt addon for ${process.platform}-${process.arch}: reinstall it ('npm install ${spec}'), or build the native files from a clone of https://github.com/edrkit/edrkit ('npm run setup')`;
}

let cached: EdrkitAddon | undefined;

/** Load the addon once; throws ERR_NATIVE_MISSING naming the expected file and the build command. */
export function loadAddon(root: string = PACKAGE_ROOT): EdrkitAddon {
  if (cached && root === PACKAGE_ROOT) return cached;
  const require = createRequire(import.meta.url);
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    const addon = nodeGypBuild(root) as EdrkitAddon;
    if (root === PACKAGE_ROOT) cached = addon;
    return addon;
  } catch (err) {
    const expected = path.join(root, 'build/Release/edrkit_linux.node');
    const prebuild = path.join(root, `prebuilds/${process.platform}-${process.arch}/`);
    throw new EdrkitError(
      'ERR_NATIVE_MISSING',
      `the linux-ebpf addon is missing (looked for ${expected} and ${prebuild}): ${nativeRemedy(root)}`,
      { cause: err },
    );
  }
}

/** Check the BPF object exists; throws ERR_NATIVE_MISSING naming it and the build command. */
export function requireBpfObject(file: string = DEFAULT_BPF_OBJECT, root: string = PACKAGE_ROOT, exists: (path: string) => boolean = existsSync): string {
  if (!exists(file)) {
    throw new EdrkitError('ERR_NATIVE_MISSING', `the BPF object ${file} is missing: ${nativeRemedy(root)}`);
  }
  return file;
}
