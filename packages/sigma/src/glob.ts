/**
 * Wildcard matching that never backtracks. A Sigma pattern such as `*\\temp\\*.ps?1` (or a
 * condition's `1 of sel_*`) is split at its `*`s into segments of fixed width; the first
 * segment is tested at the start, the last at the end, and each middle one is found at its
 * leftmost position after the previous one. Taking the leftmost occurrence is always
 * right for `*`-separated segments (a later one can only leave less room for the rest),
 * so no earlier choice is ever revisited: the work is at most (value length × pattern
 * length) comparisons whatever the pattern, unlike a backtracking RegExp, where
 * `**********z` against a long name takes exponential time.
 *
 * @module
 */
import type { PatternToken } from './pattern.js';

/** One position of a segment: a code unit, any one character, or one of a set. */
type Unit = { k: 'c'; c: number } | { k: 'any' } | { k: 'set'; chars: string };

/** A compiled wildcard pattern (see {@link compileGlob}). */
export interface Glob {
  /** Segments between stars; `anchoredStart`/`anchoredEnd` when the pattern does not begin/end with `*`. */
  readonly segments: readonly (readonly Unit[])[];
  /** Per segment, its text when it holds no `?` or set (searched with the native `indexOf`). */
  readonly literals: readonly (string | undefined)[];
  readonly anchoredStart: boolean;
  readonly anchoredEnd: boolean;
  /** Compare lower-cased text (the caller passes the value lower-cased too). */
  readonly folded: boolean;
}

/** Work done by {@link globMatch}: character comparisons (for tests that check linear growth). */
export interface GlobCounter {
  steps: number;
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Compile pattern tokens. With `folded`, literal runs are lower-cased here (as whole runs,
 * since lower-casing can change the length), and values must be lower-cased by the caller.
 */
export function compileGlob(tokens: readonly PatternToken[], folded: boolean): Glob {
  const segments: Unit[][] = [[]];
  let run = '';
  const flush = () => {
    if (!run) return;
    const text = folded ? run.toLowerCase() : run;
    const seg = segments[segments.length - 1]!;
    for (let i = 0; i < text.length; i++) seg.push({ k: 'c', c: text.charCodeAt(i) });
    run = '';
  };
  for (const t of tokens) {
    if (t.t === 'lit') {
      run += t.c;
      continue;
    }
    flush();
    if (t.t === 'star') {
      // `**` is one star: an empty segment between them would only cost a search.
      if (segments[segments.length - 1]!.length > 0 || segments.length === 1) segments.push([]);
    } else if (t.t === 'one') segments[segments.length - 1]!.push({ k: 'any' });
    else segments[segments.length - 1]!.push({ k: 'set', chars: folded ? t.chars.toLowerCase() : t.chars });
  }
  flush();
  const anchoredStart = tokens[0]?.t !== 'star';
  const anchoredEnd = tokens.length === 0 || tokens[tokens.length - 1]!.t !== 'star';
  // Drop the empty segments that leading/trailing stars leave.
  const kept = segments.filter((s, i) => s.length > 0 || (i === 0 && anchoredStart && anchoredEnd && segments.length === 1));
  // Built unit by unit: a spread of a megabyte-long segment would overflow the stack.
  const literals = kept.map((seg) => (seg.every((u) => u.k === 'c') ? seg.map((u) => String.fromCharCode((u as { c: number }).c)).join('') : undefined));
  return { segments: kept, literals, anchoredStart, anchoredEnd, folded };
}

/**
 * Width of `seg` matched at `at` in `s`, or -1. `any`/`set` take a whole surrogate pair,
 * as a `u` RegExp's `.` would.
 */
function matchAt(seg: readonly Unit[], s: string, at: number, counter: GlobCounter): number {
  let p = at;
  for (let j = 0; j < seg.length; j++) {
    counter.steps++;
    if (p >= s.length) return -1;
    const u = seg[j]!;
    const code = s.charCodeAt(p);
    if (u.k === 'c') {
      if (code !== u.c) return -1;
      p++;
      continue;
    }
    const width = isHigh(code) && p + 1 < s.length && isLow(s.charCodeAt(p + 1)) ? 2 : 1;
    if (u.k === 'set' && !u.chars.includes(s.slice(p, p + width))) return -1;
    p += width;
  }
  return p - at;
}

/**
 * Leftmost `[start, end)` of `seg` in `s` at or after `from`, or undefined. A literal
 * segment uses `indexOf` (linear too; counted as the text it passes over).
 */
function find(seg: readonly Unit[], lit: string | undefined, s: string, from: number, counter: GlobCounter): [number, number] | undefined {
  if (lit !== undefined) {
    const at = s.indexOf(lit, from);
    counter.steps += (at < 0 ? s.length - from : at - from) + lit.length;
    return at < 0 ? undefined : [at, at + lit.length];
  }
  for (let at = from; at + seg.length <= s.length; at++) {
    const w = matchAt(seg, s, at, counter);
    if (w >= 0) return [at, at + w];
  }
  return undefined;
}

const scratch: GlobCounter = { steps: 0 };

/** Does `s` (lower-cased if the glob is `folded`) match the whole glob? */
export function globMatch(glob: Glob, s: string, counter: GlobCounter = scratch): boolean {
  const { segments, anchoredStart, anchoredEnd } = glob;
  const n = segments.length;
  if (n === 0) return true; // only stars
  if (n === 1 && anchoredStart && anchoredEnd) return matchAt(segments[0]!, s, 0, counter) === s.length;
  let pos = 0;
  let first = 0;
  let last = n;
  if (anchoredStart) {
    const w = matchAt(segments[0]!, s, 0, counter);
    if (w < 0) return false;
    pos = w;
    first = 1;
  }
  // The end segment is tested where it must sit, so the middle ones must fit before it.
  // Its width can depend on surrogate pairs, so try the few plausible start positions.
  let limit = s.length;
  if (anchoredEnd) {
    const seg = segments[n - 1]!;
    last = n - 1;
    let found = -1;
    // Rightmost first: the later the end segment starts, the more room the middle has.
    for (let at = s.length - seg.length; at >= Math.max(pos, s.length - 2 * seg.length); at--) {
      if (matchAt(seg, s, at, counter) === s.length - at) {
        found = at;
        break;
      }
    }
    if (found < 0) return false;
    limit = found;
  }
  for (let i = first; i < last; i++) {
    const hit = find(segments[i]!, glob.literals[i], s, pos, counter);
    if (!hit || hit[1] > limit) return false;
    pos = hit[1];
  }
  return true;
}
