/**
 * Reading a package directory once into memory. Everything the verifier checks and the
 * host executes comes from the buffers returned here; nothing is read from disk again,
 * so a file swapped after verification can never run.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readSync, renameSync, rmSync, writeFileSync, type Dirent, type Stats } from 'node:fs';
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

/** Deepest directory nesting walked (each level holds one open descriptor). */
export const MAX_DEPTH = 32;

// Never follow a link, never wait: a FIFO opened O_NONBLOCK for reading returns at once
// (and is then refused by fstat) instead of blocking until a writer appears.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const FILE_FLAGS = constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0);
const DIR_FLAGS = FILE_FLAGS | (constants.O_DIRECTORY ?? 0);
// On Linux a directory is listed and its entries opened through /proc/self/fd/N, i.e.
// relative to the descriptor that was checked, so swapping a directory for a symlink
// after it was opened changes nothing. Elsewhere the path is re-checked by inode.
const FD_DIR = process.platform === 'linux' && existsSync('/proc/self/fd') ? '/proc/self/fd' : undefined;
// Windows has neither O_NOFOLLOW nor directory descriptors: there, lstat before the open and
// compare the inode after it.
const LSTAT_FIRST = NOFOLLOW === 0;

function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isDirectory()) return 'a directory';
  return 'not a regular file';
}

function tampered(where: string, message: string): PluginError {
  return new PluginError('ERR_PLUGIN_TAMPERED', `${where} ${message} (symlinks and special files are refused)`);
}

/** Open `file` without following a final symlink and without blocking; map errors to codes. */
function openNoFollow(file: string, flags: number, where: string): number {
  try {
    return openSync(file, flags);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    // ELOOP: the final component is a symlink (O_NOFOLLOW). ENOTDIR: not a directory.
    // ENXIO: a socket or a FIFO without a reader.
    if (code === 'ELOOP' || code === 'EMLINK') throw tampered(where, 'is a symbolic link');
    if (code === 'ENOTDIR') throw tampered(where, 'is not a directory');
    if (code === 'ENXIO' || code === 'EOPNOTSUPP') throw tampered(where, 'is a special file');
    throw ioError(`${where}: cannot open (${code ?? String(cause)})`, cause);
  }
}

/**
 * Read one package file safely: opened with `O_NOFOLLOW | O_NONBLOCK`, checked with `fstat`
 * on the open descriptor (a regular file, at most `maxBytes`), then read from that
 * descriptor. A symlink, FIFO, socket or device is refused with `ERR_PLUGIN_TAMPERED` and
 * never blocks; a file that grows while it is read is refused too.
 * @param where names the file in errors.
 * @throws {@link PluginError} `ERR_PLUGIN_TAMPERED` or `ERR_PLUGIN_IO`.
 */
export function readFileNoFollow(file: string, where: string, maxBytes = MAX_FILE_BYTES): Buffer {
  const before = LSTAT_FIRST ? lstatSync(file) : undefined;
  if (before && !before.isFile()) throw tampered(where, `is ${kindOf(before)}`);
  const fd = openNoFollow(file, FILE_FLAGS, where);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw tampered(where, `is ${kindOf(stat)}`);
    if (before && (before.ino !== stat.ino || before.dev !== stat.dev)) throw tampered(where, 'was replaced while it was opened');
    if (stat.size > maxBytes) throw ioError(`${where} is larger than ${maxBytes} bytes`);
    // One byte more than fstat said, to notice a file that is being appended to.
    const buffer = Buffer.alloc(stat.size + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > stat.size) throw tampered(where, 'changed while it was read');
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Write `file` through a new temp file renamed over it: if `file` was swapped for a symlink
 * since the package was read, the link itself is replaced, never the file it points to.
 * @throws {@link PluginError} `ERR_PLUGIN_IO`.
 */
export function writeFileReplacing(file: string, bytes: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, bytes, { flag: 'wx', mode: 0o644 });
    renameSync(tmp, file);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new PluginError('ERR_PLUGIN_IO', `${file}: cannot write (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
  }
}

/** An open, checked directory: listed and descended into relative to its descriptor. */
class DirHandle {
  /** `undefined` on Windows, where a directory cannot be opened as a descriptor. */
  readonly fd: number | undefined;
  readonly path: string;
  readonly #stat: Stats;

  constructor(dirPath: string, where: string) {
    if (LSTAT_FIRST) {
      this.fd = undefined;
      this.#stat = lstatSync(dirPath);
      if (!this.#stat.isDirectory()) throw tampered(where, `is ${kindOf(this.#stat)}`);
      this.path = dirPath;
      return;
    }
    this.fd = openNoFollow(dirPath, DIR_FLAGS, where);
    this.#stat = fstatSync(this.fd);
    if (!this.#stat.isDirectory()) {
      closeSync(this.fd);
      throw tampered(where, `is ${kindOf(this.#stat)}`);
    }
    this.path = FD_DIR === undefined ? dirPath : `${FD_DIR}/${this.fd}`;
  }

  /** Entries, sorted by name; on platforms without /proc the path must still be this directory. */
  list(where: string): Dirent[] {
    const entries = readdirSync(this.path, { withFileTypes: true });
    if (FD_DIR === undefined) {
      const now = lstatSync(this.path, { throwIfNoEntry: false });
      if (!now?.isDirectory() || now.ino !== this.#stat.ino || now.dev !== this.#stat.dev) throw tampered(where, 'was replaced while it was read');
    }
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  child(name: string): string {
    return `${this.path}/${name}`;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }
}

/**
 * Read every file of the package in `dir` into memory, refusing symlinks, special files
 * and oversized content. No link is followed and no open can block, even if files are
 * swapped while the walk runs.
 * @param manifestName `edrkit-plugin.json` or `edrkit-content.json`.
 * @throws {@link PluginError} `ERR_PLUGIN_IO` (unreadable, too large) or `ERR_PLUGIN_TAMPERED` (a symlink or special file).
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
  const walk = (handle: DirHandle, rel: string, depth: number): void => {
    for (const entry of handle.list(`${dir}: '${rel || '.'}'`)) {
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const where = `${dir}: '${childRel}'`;
      if (entry.isDirectory()) {
        if (depth >= MAX_DEPTH) throw ioError(`${where}: nested deeper than ${MAX_DEPTH} directories`);
        const sub = new DirHandle(handle.child(entry.name), where);
        try {
          walk(sub, childRel, depth + 1);
        } finally {
          sub.close();
        }
        continue;
      }
      // Symlinks could point outside the package or change after verification. The dirent
      // type is only a first filter: readFileNoFollow checks the opened descriptor itself.
      if (!entry.isFile()) throw tampered(where, 'is not a regular file');
      if (files.size >= MAX_FILES) throw ioError(`${dir}: more than ${MAX_FILES} files`);
      const bytes = readFileNoFollow(handle.child(entry.name), where);
      total += bytes.length;
      if (total > MAX_PACKAGE_BYTES) throw ioError(`${dir}: package is larger than ${MAX_PACKAGE_BYTES} bytes`);
      files.set(childRel, bytes);
    }
  };
  try {
    const top = new DirHandle(root, `${dir}:`);
    try {
      walk(top, '', 0);
    } finally {
      top.close();
    }
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
