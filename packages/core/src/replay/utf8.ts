/**
 * Strict UTF-8 decoding of untrusted bytes (recordings, rule files). Node's default
 * decoding turns every invalid sequence into U+FFFD silently, so a value could differ
 * from what was written without anyone knowing; here invalid bytes are an error that
 * names the offset of the first bad byte.
 *
 * @module
 */
import { isUtf8 } from 'node:buffer';

/** Result of {@link decodeUtf8}: the text, or the byte offset of the first invalid sequence. */
export type Utf8Result = { ok: true; text: string } | { ok: false; offset: number };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Decode `bytes` as UTF-8, refusing invalid sequences (overlong forms, surrogates, code
 * points past U+10FFFF, truncated sequences). A leading byte-order mark is dropped.
 */
export function decodeUtf8(bytes: Uint8Array): Utf8Result {
  if (!isUtf8(bytes)) return { ok: false, offset: firstInvalidUtf8(bytes) };
  return { ok: true, text: decoder.decode(bytes) };
}

/** Byte offset of the first invalid UTF-8 sequence in `bytes`, or -1 when there is none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: sequence length and the allowed range of the second byte (RFC 3629).
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0; // no overlong forms
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // nothing past U+10FFFF
    } else return i;
    if (i + len > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < len; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += len;
  }
  return -1;
}
