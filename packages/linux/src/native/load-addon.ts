/**
 * Loads the Node-API addon (node-gyp-build: prebuilds/ first, then build/Release) and locates
 * the BPF object. A missing file is an {@link EdrkitError} `ERR_NATIVE_MISSING` naming it and
 * the command that builds it.
 *
 * @module
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdrkitError } from '@edrkit/core';

/** The package root (same depth from src/ and dist/). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where `npm run build:native` puts the BPF object. */
export const DEFAULT_BPF_OBJECT = path.join(PACKAGE_ROOT, 'bpf/edrkit.bpf.o');

/** Options of the addon's `open()`. */
export interface NativeOpenOptions {
  objectPath: string;
  kinds: number;
  filterFlags: number;
  selfTgid: number;
  ringBytes: number;
  /** Program name prefixes not to load. */
  disable: string[];
  pidInclude?: number[];
  pidExclude?: number[];
  uidInclude?: number[];
  uidExclude?: number[];
  names?: string[];
  /** filter.exe prefixes (plain prefixes only, at most 8, each under 256 UTF-8 bytes), compared in the kernel at exec. */
  exePrefixes?: string[];
  /** Called on the JS thread with a batch, the cumulative kernel drop count, and a poll error (negative errno) or 0. */
  onBatch: (batch: ArrayBuffer, drops: number, err: number) => void;
}

/** An opaque native sensor handle. */
export type NativeHandle = { readonly __edrkitNative: unique symbol };

/** What a native open attached. */
export interface NativeOpenResult {
  handle: NativeHandle;
  attached: string[];
  failed: { name: string; errno: number; message: string }[];
  /** Kernel ids of the loaded programs (as `bpftool prog list` shows them). */
  progIds: number[];
  /** Kernel ids of the maps. */
  mapIds: number[];
}

/** The addon's exports. */
export interface EdrkitAddon {
  open(options: NativeOpenOptions): NativeOpenResult;
  close(handle: NativeHandle): void;
  /** Like close(), but detaches and unloads on the libuv pool: the event loop is not blocked. */
  closeAsync(handle: NativeHandle): Promise<void>;
  drops(handle: NativeHandle): number;
  clockOffsetNs(): number;
  layout(): Record<string, number>;
  libbpfVersion(): string;
}

/** The error thrown by the addon's open(). */
export interface NativeError extends Error {
  code: 'EPERM' | 'EBPF' | string;
  errno: number;
  stage: string;
}

const BUILD_HINT = "build it with 'npm run build:native' (needs clang, bpftool, libbpf-dev, libelf-dev, zlib1g-dev)";

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
      `the linux-ebpf addon is missing (looked for ${expected} and ${prebuild}): ${BUILD_HINT}`,
      { cause: err },
    );
  }
}

/** Check the BPF object exists; throws ERR_NATIVE_MISSING naming it and the build command. */
export function requireBpfObject(file: string = DEFAULT_BPF_OBJECT): string {
  if (!existsSync(file)) {
    throw new EdrkitError('ERR_NATIVE_MISSING', `the BPF object ${file} is missing: ${BUILD_HINT}`);
  }
  return file;
}
