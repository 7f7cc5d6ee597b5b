/**
 * Small readers for the string fields of edrkit.h records. They are on the hot path (every
 * record has a comm and most have a path), so they avoid TextDecoder's per-call overhead:
 * one JS pass finds the end and whether the bytes are ASCII, then Node's internal
 * `latin1Slice` (ASCII) or `utf8Slice` (anything else; invalid UTF-8 becomes U+FFFD) builds
 * the string without an intermediate subarray.
 *
 * @module
 */

interface SliceDecoders {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const proto = Buffer.prototype as unknown as Partial<SliceDecoders>;
// Node has had both since v0.x; the fallback keeps the decoder correct if that ever changes.
const fast = typeof proto.latin1Slice === 'function' && typeof proto.utf8Slice === 'function';
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A Buffer view (no copy) of `bytes`, so the slice decoders can be used on it. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The string of bytes `[start, end)`; `ascii` says every byte is < 0x80 (the caller scanned them). */
export function decodeRange(bytes: Buffer, start: number, end: number, ascii: boolean): string {
  if (start >= end) return '';
  if (fast) return ascii ? (bytes as unknown as SliceDecoders).latin1Slice(start, end) : (bytes as unknown as SliceDecoders).utf8Slice(start, end);
  return utf8.decode(bytes.subarray(start, end));
}

/** The string of bytes `[start, end)`, scanning them for the ASCII fast path. */
export function text(bytes: Buffer, start: number, end: number): string {
  let or = 0;
  for (let i = start; i < end; i++) or |= bytes[i]!;
  return decodeRange(bytes, start, end, or < 0x80);
}

/** A NUL-terminated string inside `[offset, offset + max)`; invalid UTF-8 becomes U+FFFD. */
export function cString(bytes: Buffer, offset: number, max: number): string {
  const end = Math.min(offset + max, bytes.length);
  let i = offset;
  let or = 0;
  for (; i < end; i++) {
    const c = bytes[i]!;
    if (c === 0) break;
    or |= c;
  }
  return decodeRange(bytes, offset, i, or < 0x80);
}

/** NUL-separated strings in `[offset, offset + len)` (argv); a trailing empty piece is dropped. */
export function nulSeparated(bytes: Buffer, offset: number, len: number): string[] {
  const out: string[] = [];
  const end = Math.min(offset + len, bytes.length);
  let start = offset;
  let or = 0;
  for (let i = offset; i < end; i++) {
    const c = bytes[i]!;
    if (c === 0) {
      out.push(decodeRange(bytes, start, i, or < 0x80));
      start = i + 1;
      or = 0;
    } else {
      or |= c;
    }
  }
  if (start < end) out.push(decodeRange(bytes, start, end, or < 0x80));
  return out;
}

/** IPv4 (first 4 bytes) or IPv6 text form of a 16-byte address field. */
export function ipString(bytes: Uint8Array, offset: number, family: 'ipv4' | 'ipv6'): string {
  if (family === 'ipv4') return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(((bytes[offset + 2 * i] ?? 0) << 8) | (bytes[offset + 2 * i + 1] ?? 0));
  // IPv4-mapped (::ffff:a.b.c.d): how a dual-stack socket shows an IPv4 peer.
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
    return `::ffff:${bytes[offset + 12]}.${bytes[offset + 13]}.${bytes[offset + 14]}.${bytes[offset + 15]}`;
  }
  // RFC 5952: compress the longest run (>= 2) of zero words.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
