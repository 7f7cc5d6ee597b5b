/**
 * Path globs compiled to one anchored RegExp. Written here rather than taken from picomatch
 * (used before) because no option there gives the Windows rules: picomatch reads `\` as an
 * escape and `(x86)` as a group, so `C:\Program Files (x86)\*` could never match; and its
 * `**` has edge cases (`/**\/a` misses `/a`) that a filter should not have. The syntax is
 * the common subset users type:
 *
 * - `*` any run of characters within one component (dot files included), `?` one character;
 * - `**` as a whole component: zero or more components;
 * - `[abc]`, `[a-z]`, `[!a]` / `[^a]`: one character of the class (never a separator);
 * - `{a,b}`: either alternative (nesting allowed; at most 256 alternatives in all);
 * - on POSIX `\x` is a literal `x`; on Windows `\` is a separator like `/`.
 *
 * An unclosed `[` or `{` is literal.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';

const MAX_ALTERNATIVES = 256;
const REGEXP_SPECIALS = /[.*+?^${}()|[\]\\/]/g;

/** Options of {@link compileGlob}. */
export interface GlobOptions {
  /** `\` separates components (Windows) instead of escaping the next character. */
  backslashSeparates: boolean;
  /** Whether `A` and `a` differ (otherwise compared with Unicode simple case folding). */
  caseSensitive: boolean;
}

/** Escape `text` for use as literal RegExp source (outside a character class). */
export function escapeRegExp(text: string): string {
  return text.replace(REGEXP_SPECIALS, '\\$&');
}

/** Compile `glob` (named by `option` in errors) into an anchored RegExp over `/`-separated paths. */
export function compileGlob(glob: string, option: string, options: GlobOptions): RegExp {
  const pattern = options.backslashSeparates ? glob.replaceAll('\\', '/') : glob;
  const alternatives = expandBraces(pattern, options.backslashSeparates, glob, option);
  const source = alternatives.map((a) => globSource(a, options.backslashSeparates)).join('|');
  try {
    return new RegExp(`^(?:${source})$`, options.caseSensitive ? 'u' : 'iu');
  } catch (err) {
    // A class range out of order (`[z-a]`) is the only way to get here.
    throw new InvalidArgumentError(`filter.${option}: glob ${JSON.stringify(glob)} is invalid: ${(err as Error).message}`);
  }
}

/** Index of the `close` matching the `open` at `start`, honouring escapes; -1 when unclosed. */
function findClose(s: string, start: number, open: string, close: string, escapes: boolean): number {
  let depth = 0;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (escapes && c === '\\') i++;
    else if (c === open) depth++;
    else if (c === close && --depth === 0) return i;
  }
  return -1;
}

/** Split `{…}` alternatives into whole patterns (`a{b,c}d` → `abd`, `acd`). */
function expandBraces(p: string, noEscapes: boolean, glob: string, option: string): string[] {
  const escapes = !noEscapes;
  for (let i = 0; i < p.length; i++) {
    if (escapes && p[i] === '\\') {
      i++;
      continue;
    }
    if (p[i] !== '{') continue;
    const end = findClose(p, i, '{', '}', escapes);
    if (end < 0) return [p];
    const parts: string[] = [];
    let depth = 0;
    let from = i + 1;
    for (let j = i + 1; j < end; j++) {
      const c = p[j];
      if (escapes && c === '\\') j++;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === ',' && depth === 0) {
        parts.push(p.slice(from, j));
        from = j + 1;
      }
    }
    parts.push(p.slice(from, end));
    const head = p.slice(0, i);
    const tails = expandBraces(p.slice(end + 1), noEscapes, glob, option);
    const out: string[] = [];
    for (const part of parts) {
      for (const inner of expandBraces(head + part, noEscapes, glob, option)) {
        for (const tail of tails) {
          out.push(inner + tail);
          if (out.length > MAX_ALTERNATIVES) {
            throw new InvalidArgumentError(`filter.${option}: glob ${JSON.stringify(glob)} expands to more than ${MAX_ALTERNATIVES} alternatives`);
          }
        }
      }
    }
    return out;
  }
  return [p];
}

/** RegExp source of one brace-free glob. */
function globSource(p: string, noEscapes: boolean): string {
  // `**/**` means what `**` means; collapsing keeps the separators right.
  const parts = p.split('/').filter((part, i, all) => !(part === '**' && all[i - 1] === '**'));
  let out = '';
  let slashDone = false; // the previous `**` already ended in a separator
  parts.forEach((part, i) => {
    const first = i === 0;
    const last = i === parts.length - 1;
    if (part === '**') {
      if (first && last) out += '.*';
      else if (last) out += slashDone ? '.*' : '(?:/.*)?';
      else if (first) out += '(?:.*/)?';
      else out += slashDone ? '(?:.*/)?' : '/(?:.*/)?';
      slashDone = !last;
      return;
    }
    if (!first && !slashDone) out += '/';
    slashDone = false;
    out += componentSource(part, noEscapes);
  });
  return out;
}

function componentSource(part: string, noEscapes: boolean): string {
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i] as string;
    if (!noEscapes && c === '\\' && i + 1 < part.length) {
      out += escapeRegExp(part[++i] as string);
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = classEnd(part, i, noEscapes);
      if (end < 0) out += '\\[';
      else {
        out += classSource(part.slice(i + 1, end), noEscapes);
        i = end;
      }
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

/** End of the class opened at `start` (a `]` right after `[` or `[!` is a member), or -1. */
function classEnd(s: string, start: number, noEscapes: boolean): number {
  let i = start + 1;
  if (s[i] === '!' || s[i] === '^') i++;
  if (s[i] === ']') i++;
  for (; i < s.length; i++) {
    if (!noEscapes && s[i] === '\\') i++;
    else if (s[i] === ']') return i;
  }
  return -1;
}

function classSource(body: string, noEscapes: boolean): string {
  let negate = false;
  let i = 0;
  if (body[0] === '!' || body[0] === '^') {
    negate = true;
    i = 1;
  }
  let members = '';
  for (; i < body.length; i++) {
    let c = body[i] as string;
    if (!noEscapes && c === '\\' && i + 1 < body.length) c = body[++i] as string;
    // A range `a-z` keeps its dash; every other character is literal.
    const isRange = c === '-' && members !== '' && i + 1 < body.length && i > (negate ? 1 : 0);
    members += isRange ? '-' : c === '-' ? '\\-' : escapeRegExp(c);
  }
  return negate ? `[^/${members}]` : `(?!/)[${members}]`;
}
