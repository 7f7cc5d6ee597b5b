/**
 * The `re` modifier on a linear-time engine. Rules come from other people and field
 * values (a command line) from any local user, so a backtracking engine would let
 * `^(a+)+$` against `aaaa…!` stall detection for minutes. RE2 (here its pure-JS port
 * `re2js`, which needs no native build) runs in time linear in the input; the PCRE
 * features it cannot run that way (backreferences, lookaround, atomic groups, possessive
 * quantifiers, recursion, conditionals, `\Z`, extended mode) are refused at compile time
 * with the feature's name, so `sigma lint` lists them as `unsupported`.
 *
 * @module
 */
import { RE2JS } from 're2js';
import { invalid, unsupported } from './errors.js';
import { requiredLiterals } from './regex-literals.js';

/** A compiled rule regex: `test` searches anywhere in the string (as PCRE does). */
export interface TextRegex {
  test(s: string): boolean;
}

/** Sub-modifiers of `re` (`|re|i`, `|re|m`, `|re|s`) and the RE2 flags they set. */
const FLAGS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

/** PCRE features RE2 lacks, each with the test that finds it in escape-neutralised source. */
const LACKING: Array<[name: string, find: (plain: string, source: string) => boolean]> = [
  ['backreferences (\\1, \\k<name>)', (_p, src) => escapes(src).some((e) => /^\\(?:[1-9]|k[<{']|g\{?-?\d)/.test(e))],
  ['lookahead ((?=…), (?!…))', (p) => /\(\?[=!]/.test(p)],
  ['lookbehind ((?<=…), (?<!…))', (p) => /\(\?<[=!]/.test(p)],
  ['atomic groups ((?>…))', (p) => /\(\?>/.test(p)],
  ['possessive quantifiers (*+, ++, ?+, {n}+)', (p) => /[*+?}]\+/.test(p)],
  ['recursion and conditionals ((?R), (?1), (?(…)…))', (p) => /\(\?(?:R|[+-]?\d|\(|&|P>)/.test(p)],
  ['extended mode ((?x))', (p) => /\(\?[a-wyz]*x/.test(p)],
  ['\\Z and \\G anchors (use $ or \\z)', (_p, src) => escapes(src).some((e) => e === '\\Z' || e === '\\G')],
];

/** Every escape in `source`, in order (`\\\\1` is an escaped backslash, then `1`). */
function escapes(source: string): string[] {
  return source.match(/\\(?:k[<{']|g\{?-?\d|.)/gs) ?? [];
}

/**
 * The source with escapes and character classes replaced by `x`, so `[(?=]` or `\\(?=` is
 * not read as syntax. One pass: the source is a rule author's text, as long as they like.
 */
function neutralise(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      if (!inClass) out += 'x';
    } else if (inClass) {
      // `]` right after `[` or `[^` is a member, not the end.
      if (c === ']' && !/\[\^?$/.test(source.slice(Math.max(0, i - 2), i))) inClass = false;
    } else if (c === '[') {
      inClass = true;
      out += 'x';
    } else out += c;
  }
  return out;
}

/**
 * The PCRE features in `source` that RE2 cannot run, by name (empty when there are none).
 * Exported for tests and `sigma lint`'s messages.
 */
export function lackingFeatures(source: string): string[] {
  const plain = neutralise(source);
  return LACKING.filter(([, find]) => find(plain, source)).map(([name]) => name);
}

/**
 * Compile a rule's regex with the `re` sub-modifier flags (`i`, `m`, `s`). Throws an
 * `unsupported` rule error naming the PCRE feature RE2 lacks, or an `invalid` one for a
 * malformed regex.
 */
export function compileRegex(source: string, flags: ReadonlySet<string>, where: string): TextRegex {
  const lacking = lackingFeatures(source);
  if (lacking.length > 0) {
    throw unsupported(where, `regex uses ${lacking.join(', ')}, which the linear-time engine (RE2) cannot run: ${source}`);
  }
  // A regex with no syntax at all (`-D`) is a substring test: no engine needed. With `m`
  // or `s` it means the same; with `i` (ASCII needles only) it compares lower-cased text.
  if (source !== '' && !/[\\^$.|?*+()[\]{}]/.test(source) && !/^\(\?/.test(source)) {
    if (!flags.has('i')) return { test: (s) => s.includes(source) };
    if (/^[\x20-\x7e]+$/.test(source)) {
      const needle = source.toLowerCase();
      return { test: (s) => s.toLowerCase().includes(needle) };
    }
  }
  let bits = 0;
  for (const f of flags) bits |= FLAGS[f] ?? 0;
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, bits);
  } catch (err) {
    throw invalid(where, `bad regular expression '${source}': ${(err as Error).message}`);
  }
  const needles = flags.has('i') ? undefined : requiredLiterals(source);
  if (!needles) return re;
  return { test: (s) => needles.some((n) => s.includes(n)) && re.test(s) };
}
