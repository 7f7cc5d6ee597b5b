/**
 * Loads the Endpoint Security addon (node-gyp-build: prebuilds/ first, then build/Release).
 * Only on macOS: elsewhere nothing is loaded and the probe says why.
 *
 * @module
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdrkitError } from '@edrkit/core';
import type { EsAddonApi } from './addon-api.js';

/** The package's root (where binding.gyp, build/ and prebuilds/ are). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

let cached: EsAddonApi | undefined;

/** Load the addon once; throws ERR_NATIVE_MISSING naming the expected file and the build command. */
export function loadEsAddon(root: string = PACKAGE_ROOT): EsAddonApi {
  if (cached && root === PACKAGE_ROOT) return cached;
  const require = createRequire(import.meta.url);
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    const addon = nodeGypBuild(root) as EsAddonApi;
    if (root === PACKAGE_ROOT) cached = addon;
    return addon;
  } catch (err) {
    throw new EdrkitError(
      'ERR_NATIVE_MISSING',
      `the macos-es addon is missing (looked for ${path.join(root, 'build/Release/edrkit_macos.node')} and ${path.join(root, `prebuilds/${process.platform}-${process.arch}/`)}): build it on macOS with 'npm run build:native -w @edrkit/macos' (Xcode command line tools), or use backend macos-eslogger`,
      { cause: err },
    );
  }
}
