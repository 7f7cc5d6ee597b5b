/**
 * Small readers for the fixed-size fields of edrkit.h records.
 *
 * @module
 */

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** A NUL-terminated string inside `[offset, offset + max)`; invalid UTF-8 becomes U+FFFD. */
export function cString(bytes: Uint8Array, offset: number, max: number): string {
  const end = Math.min(offset + max, bytes.length);
  let i = offset;
  while (i < end && bytes[i] !== 0) i++;
  return utf8.decode(bytes.subarray(offset, i));
}

/** NUL-separated strings in `[offset, offset + len)` (argv); a trailing empty piece is dropped. */
export function nulSeparated(bytes: Uint8Array, offset: number, len: number): string[] {
  const out: string[] = [];
  const end = Math.min(offset + len, bytes.length);
  let start = offset;
  for (let i = offset; i < end; i++) {
    if (bytes[i] === 0) {
      out.push(utf8.decode(bytes.subarray(start, i)));
      start = i + 1;
    }
  }
  if (start < end) out.push(utf8.decode(bytes.subarray(start, end)));
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
