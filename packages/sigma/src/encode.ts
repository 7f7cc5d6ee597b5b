/**
 * The encoding modifiers (`base64`, `base64offset`, `utf16le`, `utf16be`, `utf16`, `wide`)
 * and `windash`, as value transformations. Encoded values are byte strings; they are
 * matched case-sensitively because case carries information in base64.
 *
 * @module
 */
import type { PatternToken } from './pattern.js';

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf8'));
}

/** UTF-16 little-endian bytes (the `utf16le` / `wide` modifiers). */
export function utf16le(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf16le'));
}

/** UTF-16 big-endian bytes (the `utf16be` modifier). */
export function utf16be(text: string): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1]!;
    be[i + 1] = le[i]!;
  }
  return new Uint8Array(be);
}

/** UTF-16 little-endian with a byte order mark (the `utf16` modifier). */
export function utf16bom(text: string): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
}

/** Standard base64 of bytes. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

/**
 * The three base64 forms a value takes at byte offsets 0, 1 and 2 inside a larger
 * encoded string, with the edge characters that depend on neighbouring bytes removed
 * (the algorithm pySigma and sigmac use).
 */
export function base64Offsets(bytes: Uint8Array): string[] {
  const starts = [0, 2, 3];
  const endTrim = [0, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const shifted = Buffer.concat([Buffer.alloc(i, 0x20), Buffer.from(bytes)]);
    const encoded = shifted.toString('base64');
    const trim = endTrim[(bytes.length + i) % 3]!;
    out.push(encoded.slice(starts[i]!, trim === 0 ? undefined : encoded.length + trim));
  }
  return out;
}

/** Characters Windows command lines accept as a flag prefix (windash). */
export const WINDASH_CHARS = '-/\u2013\u2014\u2015';

function isWord(token: PatternToken | undefined): boolean {
  return token?.t === 'lit' && /\w/.test(token.c);
}

/**
 * `windash`: every `-` or `/` that starts a word (pySigma's `\B[-/]\b`) may be any of
 * `-`, `/`, en dash, em dash or horizontal bar. Done as a character set, so a value
 * with many flags does not expand into an exponential list.
 */
export function windash(tokens: readonly PatternToken[]): PatternToken[] {
  return tokens.map((t, i) => {
    if (t.t !== 'lit' || (t.c !== '-' && t.c !== '/')) return t;
    if (isWord(tokens[i - 1]) || !isWord(tokens[i + 1])) return t;
    return { t: 'set', chars: WINDASH_CHARS };
  });
}
