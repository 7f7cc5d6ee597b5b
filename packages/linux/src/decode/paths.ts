/**
 * Decoding of `struct edrkit_path`: a kernel dentry walk (components leaf-first), the string
 * the process passed to the syscall, or both (a relative string and the directory it is
 * relative to, walked in the kernel at syscall entry).
 *
 * @module
 */
import path from 'node:path';
import { CAPS, LAYOUT, PATH_FLAG } from './layout.js';
import { cString } from './strings.js';

/** A decoded path. */
export interface DecodedPath {
  /** Absolute when the kernel resolved it; the raw relative string otherwise; '' when none. */
  path: string;
  /** True when `path` is not absolute (the base could not be walked). */
  relative: boolean;
  /** True when leading directories are missing (walk deeper than 32 levels or 256 bytes) or the raw string was cut. */
  truncated: boolean;
}

/** Join leaf-first NUL-terminated components into `/a/b/c`. */
function joinComponents(bytes: Uint8Array, offset: number, depth: number): string {
  const parts: string[] = [];
  let i = offset;
  const end = offset + CAPS.EDRKIT_DENTRY_BUF;
  for (let n = 0; n < depth && i < end; n++) {
    const s = cString(bytes, i, end - i);
    parts.push(s);
    i += Buffer.byteLength(s) + 1;
  }
  return `/${parts.reverse().join('/')}`;
}

/** Decode the `edrkit_path` at `offset`. */
export function decodePath(bytes: Uint8Array, view: DataView, offset: number): DecodedPath {
  const flags = view.getUint16(offset + LAYOUT['edrkit_path.flags'], true);
  const depth = view.getUint16(offset + LAYOUT['edrkit_path.depth'], true);
  const truncated = (flags & (PATH_FLAG.TRUNC | PATH_FLAG.RAW_TRUNC)) !== 0;
  const base = flags & PATH_FLAG.HAS_DENTRY ? joinComponents(bytes, offset + LAYOUT['edrkit_path.dentry'], depth) : undefined;
  if (flags & PATH_FLAG.HAS_RAW) {
    const raw = cString(bytes, offset + LAYOUT['edrkit_path.raw'], CAPS.EDRKIT_RAW_PATH);
    if (raw.startsWith('/')) return { path: path.posix.normalize(raw), relative: false, truncated };
    if (base !== undefined) return { path: path.posix.resolve(base, raw), relative: false, truncated };
    return { path: raw, relative: true, truncated };
  }
  if (base !== undefined) return { path: base, relative: false, truncated };
  return { path: '', relative: true, truncated };
}
