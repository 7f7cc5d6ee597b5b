/**
 * Sigma string values: wildcards (`*`, `?`) with backslash escapes, as the specification's
 * "String Wildcard" and "Escape Character" sections define them, compiled to the fastest
 * matcher that is exact (equality, prefix, suffix, substring, or a {@link compileGlob | glob} that never
 * backtracks).
 *
 * @module
 */
import { compileGlob, globMatch } from './glob.js';

/** One unit of a Sigma string pattern. */
export type PatternToken =
  | { t: 'lit'; c: string }
  | { t: 'star' }
  | { t: 'one' }
  /** Any one of `chars` (from the windash modifier). */
  | { t: 'set'; chars: string };

/** A parsed Sigma string pattern. */
export interface Pattern {
  tokens: PatternToken[];
  /** Match case-sensitively (the `cased` modifier, or encoded values such as base64). */
  cased: boolean;
}

const STAR: PatternToken = { t: 'star' };
const ONE: PatternToken = { t: 'one' };

/**
 * Parse a Sigma string: `*` and `?` are wildcards; a backslash escapes `*`, `?` and
 * itself; a backslash before anything else is a plain backslash (so `C:\Windows` and
 * `C:\\Windows` both mean one backslash).
 */
export function parsePattern(raw: string): PatternToken[] {
  const out: PatternToken[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        out.push({ t: 'lit', c: next });
        i++;
      } else {
        out.push({ t: 'lit', c: '\\' });
      }
    } else if (c === '*') out.push(STAR);
    else if (c === '?') out.push(ONE);
    else out.push({ t: 'lit', c });
  }
  return out;
}

/** A pattern holding only literal text (no wildcards). */
export function literalPattern(text: string): PatternToken[] {
  return Array.from(text, (c) => ({ t: 'lit', c }) as PatternToken);
}

/** True when the pattern has no wildcard or character set. */
export function isLiteral(tokens: readonly PatternToken[]): boolean {
  return tokens.every((t) => t.t === 'lit');
}

/** The literal text of a wildcard-free pattern. */
export function literalText(tokens: readonly PatternToken[]): string {
  return tokens.map((t) => (t.t === 'lit' ? t.c : '')).join('');
}

/** Put `*` before and/or after, unless already there (contains/startswith/endswith). */
export function wrapPattern(tokens: readonly PatternToken[], before: boolean, after: boolean): PatternToken[] {
  const out = [...tokens];
  if (before && out[0]?.t !== 'star') out.unshift(STAR);
  if (after && out[out.length - 1]?.t !== 'star') out.push(STAR);
  return out;
}

/** Render a pattern back to Sigma notation (for messages and tests). */
export function formatPattern(tokens: readonly PatternToken[]): string {
  return tokens
    .map((t) => {
      if (t.t === 'star') return '*';
      if (t.t === 'one') return '?';
      if (t.t === 'set') return `[${t.chars}]`;
      return t.c === '*' || t.c === '?' || t.c === '\\' ? `\\${t.c}` : t.c;
    })
    .join('');
}

// Rules test the same field value against many patterns in a row (value lists, the
// same CommandLine in dozens of rules); a tiny identity cache lower-cases it once.
const LOWER_SLOTS = 8;
const lowerIn: string[] = new Array<string>(LOWER_SLOTS).fill('');
const lowerOut: string[] = new Array<string>(LOWER_SLOTS).fill('');
let lowerNext = 0;

/** `s.toLowerCase()`, memoised for the few most recent strings. */
export function lower(s: string): string {
  for (let i = 0; i < LOWER_SLOTS; i++) if (lowerIn[i] === s) return lowerOut[i]!;
  const out = s.toLowerCase();
  lowerIn[lowerNext] = s;
  lowerOut[lowerNext] = out;
  lowerNext = (lowerNext + 1) % LOWER_SLOTS;
  return out;
}

/**
 * What a wildcard-free pattern (at most a leading and a trailing `*`) tests: equality,
 * prefix, suffix or substring. `needle` is already lower-cased unless `cased`, so it is
 * compared with `value.toLowerCase()` (or the value itself when `cased`).
 */
export interface LiteralShape {
  mode: 'eq' | 'prefix' | 'suffix' | 'contains';
  needle: string;
  cased: boolean;
}

/** The {@link LiteralShape} of a pattern, or undefined when it needs a {@link compileGlob | glob}. */
export function literalShape(pattern: Pattern): LiteralShape | undefined {
  const { tokens, cased } = pattern;
  let start = 0;
  let end = tokens.length;
  const leadingStar = tokens[0]?.t === 'star';
  const trailingStar = tokens.length > 1 && tokens[tokens.length - 1]?.t === 'star';
  if (leadingStar) start++;
  if (trailingStar) end--;
  const middle = tokens.slice(start, end);
  if (!isLiteral(middle)) return undefined;
  const text = literalText(middle);
  const needle = cased ? text : text.toLowerCase();
  const mode = leadingStar && trailingStar ? 'contains' : leadingStar ? 'suffix' : trailingStar ? 'prefix' : 'eq';
  return { mode, needle, cased };
}

/**
 * The test of a pattern that is not a {@link LiteralShape}: a {@link compileGlob | glob}, which never
 * backtracks. `lower` is the lower-cased value (used unless the pattern is `cased`).
 */
export function patternTest(pattern: Pattern): (value: string, lower: string) => boolean {
  const glob = compileGlob(pattern.tokens, !pattern.cased);
  return pattern.cased ? (v) => globMatch(glob, v) : (_v, l) => globMatch(glob, l);
}

/**
 * Compile a pattern to a string test. Literal patterns with at most a leading and a
 * trailing `*` become `===`, `startsWith`, `endsWith` or `includes`; anything else a
 * linear-time {@link compileGlob | glob}. Case-insensitive patterns compare lower-cased text.
 */
export function compilePattern(pattern: Pattern): (value: string) => boolean {
  const shape = literalShape(pattern);
  if (shape) {
    const { needle, mode } = shape;
    const norm = shape.cased ? (v: string) => v : lower;
    if (mode === 'contains') return needle === '' ? () => true : (v) => norm(v).includes(needle);
    if (mode === 'suffix') return needle === '' ? () => true : (v) => norm(v).endsWith(needle);
    if (mode === 'prefix') return (v) => norm(v).startsWith(needle);
    return (v) => norm(v) === needle;
  }
  return globTest(pattern);
}

// Apart from compilePattern so that no closure there holds `pattern` (and with it one
// token object per character of every value of a 100k-value rule).
function globTest(pattern: Pattern): (value: string) => boolean {
  const test = patternTest(pattern);
  return pattern.cased ? (v) => test(v, v) : (v) => test(v, lower(v));
}
