/**
 * Reading a package directory once into memory. Everything the verifier checks and the
 * host executes comes from the buffers returned here; nothing is read from disk again,
 * so a file swapped after verification can never run.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PluginError } from '../errors.js';
import { SIGNATURE_SUFFIX } from './manifest.js';

/** Largest single file in a package. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Largest package (all files together). */
export const MAX_PACKAGE_BYTES = 32 * 1024 * 1024;
/** Most files in a package. */
export const MAX_FILES = 1000;

/** The raw bytes of a package directory. */
export interface PackageBytes {
  /** Absolute directory path. */
  readonly dir: string;
  readonly manifest: Buffer;
  /** `undefined` when the `.minisig` file is absent. */
  readonly signature: Buffer | undefined;
  /** Every other regular file, keyed by its relative POSIX path. */
  readonly files: ReadonlyMap<string, Buffer>;
}

/** `sha256:<hex>` of `bytes`, the digest format of manifests and revocation lists. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function ioError(message: string, cause?: unknown): PluginError {
  return new PluginError('ERR_PLUGIN_IO', message, cause === undefined ? undefined : { cause });
}

/**
 * Read every file of the package in `dir` into memory, refusing symlinks, special files
 * and oversized content.
 * @param manifestName `edrkit-plugin.json` or `edrkit-content.json`.
 * @throws {@link PluginError} `ERR_PLUGIN_IO` (unreadable) or `ERR_PLUGIN_TAMPERED` (a symlink or special file).
 */
export function readPackageBytes(dir: string, manifestName: string): PackageBytes {
  const root = path.resolve(dir);
  let rootStat;
  try {
    rootStat = lstatSync(root);
  } catch (cause) {
    throw ioError(`${dir}: cannot read the package directory (${(cause as NodeJS.ErrnoException).code ?? cause})`, cause);
  }
  if (!rootStat.isDirectory()) throw ioError(`${dir}: not a directory (give the plugin package folder)`);
  // Check for the manifest before walking: pointed at a big folder by mistake, fail at once.
  if (!lstatSync(path.join(root, manifestName), { throwIfNoEntry: false })?.isFile()) {
    throw new PluginError('ERR_PLUGIN_MANIFEST', `${dir}: no ${manifestName} (is this a plugin package folder?)`);
  }

  const files = new Map<string, Buffer>();
  let total = 0;
  const walk = (rel: string): void => {
    const abs = path.join(root, rel);
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        walk(childRel);
        continue;
      }
      // Symlinks could point outside the package or change after verification.
      if (!entry.isFile()) throw new PluginError('ERR_PLUGIN_TAMPERED', `${dir}: '${childRel}' is not a regular file (symlinks and special files are refused)`);
      if (files.size >= MAX_FILES) throw ioError(`${dir}: more than ${MAX_FILES} files`);
      const bytes = readFileSync(path.join(root, childRel));
      if (bytes.length > MAX_FILE_BYTES) throw ioError(`${dir}: '${childRel}' is larger than ${MAX_FILE_BYTES} bytes`);
      total += bytes.length;
      if (total > MAX_PACKAGE_BYTES) throw ioError(`${dir}: package is larger than ${MAX_PACKAGE_BYTES} bytes`);
      files.set(childRel, bytes);
    }
  };
  try {
    walk('');
  } catch (cause) {
    if (cause instanceof PluginError) throw cause;
    throw ioError(`${dir}: cannot read the package (${(cause as NodeJS.ErrnoException).code ?? cause})`, cause);
  }
  const manifest = files.get(manifestName);
  if (manifest === undefined) throw new PluginError('ERR_PLUGIN_MANIFEST', `${dir}: no ${manifestName} (is this a plugin package folder?)`);
  const signature = files.get(manifestName + SIGNATURE_SUFFIX);
  files.delete(manifestName);
  files.delete(manifestName + SIGNATURE_SUFFIX);
  return { dir: root, manifest, signature, files };
}
