/**
 * Decoding of `struct edrkit_path`: a kernel dentry walk (components leaf-first), the string
 * the process passed to the syscall, or both (a relative string and the directory it is
 * relative to, walked in the kernel at syscall entry). The descriptor is in the record's
 * fixed part; its bytes (raw, then dentry) are in the record's tail.
 *
 * @module
 */
import path from 'node:path';
import { RecordDecodeError } from './errors.js';
import { CAPS, LAYOUT, PATH_FLAG } from './layout.js';
import { cString, decodeRange } from './strings.js';

/** A decoded path. */
export interface DecodedPath {
  /** Absolute when the kernel resolved it; the raw relative string otherwise; '' when none. */
  path: string;
  /** True when `path` is not absolute (the base could not be walked). */
  relative: boolean;
  /** True when leading directories are missing (walk deeper than 32 levels or 256 bytes) or the raw string was cut. */
  truncated: boolean;
}

/** Tail bytes a path descriptor at `desc` claims (raw + dentry); throws when over its caps. */
export function pathTailBytes(view: DataView, desc: number): number {
  const raw = view.getUint16(desc + LAYOUT['edrkit_path.raw_len'], true);
  const dentry = view.getUint16(desc + LAYOUT['edrkit_path.dentry_len'], true);
  if (raw > CAPS.EDRKIT_RAW_PATH - 1 || dentry > CAPS.EDRKIT_DENTRY_BUF) {
    throw new RecordDecodeError(desc, `path lengths raw ${raw} / dentry ${dentry} exceed ${CAPS.EDRKIT_RAW_PATH - 1} / ${CAPS.EDRKIT_DENTRY_BUF}`);
  }
  return raw + dentry;
}

// Reused for every path: components are copied here root-first, then decoded once.
const scratch = Buffer.alloc(CAPS.EDRKIT_DENTRY_BUF * 2 + 2);
const ends = new Int32Array(CAPS.EDRKIT_DENTRY_BUF + 1);

/** Join leaf-first NUL-terminated components in `[start, end)` into `/a/b/c` (at most `depth` of them). */
function joinComponents(bytes: Buffer, start: number, end: number, depth: number): string {
  // Component k spans [ends[k-1] + 1 (or start), ends[k]); a last one without NUL ends at `end`.
  let n = 0;
  for (let i = start; i < end && n < depth; i++) if (bytes[i] === 0) ends[n++] = i;
  if (n < depth && (n === 0 ? start : ends[n - 1]! + 1) < end) ends[n++] = end;
  if (n === 0) return '/';
  let w = 0;
  let or = 0;
  for (let k = n - 1; k >= 0; k--) {
    scratch[w++] = 0x2f; // '/'
    const from = k === 0 ? start : ends[k - 1]! + 1;
    const to = ends[k]!;
    for (let i = from; i < to; i++) {
      const c = bytes[i]!;
      or |= c;
      scratch[w++] = c;
    }
  }
  return decodeRange(scratch, 0, w, or < 0x80);
}

// '//', '/./', '/../', or a trailing '/', '/.', '/..': the string needs path normalization.
const NOT_NORMAL = /\/\/|\/\.\.?(?:\/|$)|^\.\.?(?:\/|$)|\/$/;

/** Decode the `edrkit_path` descriptor at `desc` whose bytes start at `tail` in `bytes`. */
export function decodePath(bytes: Buffer, view: DataView, desc: number, tail: number): DecodedPath {
  const flags = view.getUint16(desc + LAYOUT['edrkit_path.flags'], true);
  const depth = view.getUint16(desc + LAYOUT['edrkit_path.depth'], true);
  const rawLen = view.getUint16(desc + LAYOUT['edrkit_path.raw_len'], true);
  const dentryLen = view.getUint16(desc + LAYOUT['edrkit_path.dentry_len'], true);
  const truncated = (flags & (PATH_FLAG.TRUNC | PATH_FLAG.RAW_TRUNC)) !== 0;
  const base = flags & PATH_FLAG.HAS_DENTRY ? joinComponents(bytes, tail + rawLen, tail + rawLen + dentryLen, depth) : undefined;
  if (flags & PATH_FLAG.HAS_RAW && rawLen > 0) {
    const raw = cString(bytes, tail, rawLen);
    const plain = !NOT_NORMAL.test(raw);
    if (raw.charCodeAt(0) === 0x2f) return { path: plain ? raw : path.posix.normalize(raw), relative: false, truncated };
    if (base !== undefined) {
      const joined = plain ? (base === '/' ? `/${raw}` : `${base}/${raw}`) : path.posix.resolve(base, raw);
      return { path: joined, relative: false, truncated };
    }
    return { path: raw, relative: true, truncated };
  }
  if (base !== undefined) return { path: base, relative: false, truncated };
  return { path: '', relative: true, truncated };
}
