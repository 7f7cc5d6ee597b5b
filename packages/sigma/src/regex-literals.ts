/**
 * Required literals of a rule regex: strings one of which every match must contain, so a
 * native `includes` can rule most values out before RE2 runs (RE2 in JavaScript costs far
 * more per call than V8's own engine, and an unguarded regex rule runs on every event).
 * `-(W|R)\s?…` needs `-W` or `-R`; `\s-O\s` needs `-O`.
 *
 * Only the top level of the pattern is read, and anything not understood ends the current
 * run of literals, so the answer is always safe: a string without any of the literals
 * cannot match. Whole patterns with a top-level `|`, unusual escapes or inline flags give
 * no literals.
 *
 * @module
 */

/** Most alternatives kept while multiplying runs out (`(a|b)(c|d)…`). */
const MAX_ALTERNATIVES = 16;

const META = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);

/** Index just past the quantifier at `i` (or `i`), and whether the item may occur zero times. */
function quantifier(src: string, i: number): { end: number; optional: boolean; repeated: boolean } | undefined {
  const c = src[i];
  let end = i;
  let optional = false;
  let repeated = false;
  if (c === '?' || c === '*') {
    optional = true;
    repeated = c === '*';
    end = i + 1;
  } else if (c === '+') {
    repeated = true;
    end = i + 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(,\d*)?\}/.exec(src.slice(i, i + 24));
    if (!m) return undefined;
    optional = Number(m[1]) === 0;
    repeated = m[2] !== undefined || Number(m[1]) > 1;
    end = i + m[0].length;
  } else return { end, optional, repeated };
  if (src[end] === '?') end++; // lazy
  return { end, optional, repeated };
}

/** Index of the `)` closing the group opened at `open`, or -1. */
function groupEnd(src: string, open: number): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') {
      const close = classEnd(src, i);
      if (close < 0) return -1;
      i = close;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Index of the `]` closing the class opened at `open`, or -1 (`[]a]` and `[^]a]` hold a `]`). */
function classEnd(src: string, open: number): number {
  let i = open + 1;
  if (src[i] === '^') i++;
  if (src[i] === ']') i++;
  for (; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === ']') return i;
  }
  return -1;
}

/** `a|bc|d` of plain characters → its alternatives, else undefined. */
function literalAlternatives(body: string): string[] | undefined {
  const alts = body.split('|');
  if (alts.some((a) => a === '' || [...a].some((c) => META.has(c)))) return undefined;
  return alts;
}

/**
 * Strings one of which every match of `source` contains, or undefined when none are known.
 * Case-insensitive patterns are not handled (RE2 folds `ſ` to `s`, `K` to `k`, which
 * lower-casing does not): the caller passes only case-sensitive ones.
 */
export function requiredLiterals(source: string): string[] | undefined {
  if (/\\[QxpPuc0-9]|\(\?[a-zA-Z-]*[:)]/.test(source)) return undefined;
  let best: string[] | undefined;
  let run: string[] = [''];
  const score = (alts: readonly string[]) => Math.min(...alts.map((a) => a.length));
  const flush = () => {
    if (run.every((r) => r.length > 0) && (!best || score(run) > score(best))) best = run;
    run = [''];
  };
  const append = (alts: readonly string[]) => {
    const next = run.flatMap((r) => alts.map((a) => r + a));
    if (next.length > MAX_ALTERNATIVES) {
      flush();
      run = [...alts];
    } else run = next;
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    let alts: string[] | undefined;
    let end: number;
    if (c === '\\') {
      const e = source[i + 1];
      if (e === undefined) return undefined;
      // An escaped punctuation character is itself; `\s`, `\d`, `\b`, … are not literals.
      alts = /[A-Za-z0-9]/.test(e) ? undefined : [e];
      end = i + 2;
    } else if (c === '(') {
      const close = groupEnd(source, i);
      if (close < 0) return undefined;
      const body = source.slice(i + 1, close);
      alts = body.startsWith('?') ? (body.startsWith('?:') ? literalAlternatives(body.slice(2)) : undefined) : literalAlternatives(body);
      end = close + 1;
    } else if (c === '[') {
      const close = classEnd(source, i);
      if (close < 0) return undefined;
      alts = undefined;
      end = close + 1;
    } else if (c === '|') {
      return undefined; // a top-level alternative: a match need contain none of this side's literals
    } else if (META.has(c)) {
      // `^`, `$`, `.`: not literals. A stray quantifier or brace: give up.
      if (c !== '^' && c !== '$' && c !== '.') return undefined;
      alts = undefined;
      end = i + 1;
    } else {
      alts = [c];
      end = i + 1;
    }
    const q = quantifier(source, end);
    if (!q) return undefined;
    if (!alts || q.optional) flush();
    else {
      append(alts);
      // `ab+c` needs `ab` and `bc`, not `abc`: a repeated item ends the run.
      if (q.repeated) flush();
    }
    i = q.end;
  }
  flush();
  return best;
}
