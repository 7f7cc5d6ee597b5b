/**
 * One test for a whole OR-list of values against a string field value. A detection item
 * such as `Image|endswith: ['/curl', '/wget', …]` compiles to a single check that looks
 * the lower-cased value up in a `Set` (exact values) and then runs tight loops over the
 * prefix, suffix and substring needles, instead of one closure per value that each
 * lower-cases the value again.
 *
 * The merged test must mean exactly what OR-ing the values' own tests means; the
 * property tests in `textmatch.test.ts` check that against the per-value tests.
 *
 * @module
 */
import type { LiteralShape } from './pattern.js';

/**
 * A test of a string field value. `lower` is `value.toLowerCase()`, computed once per
 * event and field by the caller so that no value test lower-cases it again.
 */
export type TextTest = (value: string, lower: string) => boolean;

/** One value of an OR-list, as far as string values are concerned. */
export type TextPart =
  /** A wildcard-free pattern: merged into sets and needle lists. */
  | { kind: 'literal'; shape: LiteralShape }
  /** Anything else (RegExp, number, CIDR, …): called as is. */
  | { kind: 'test'; test: TextTest }
  /** Matches every string (e.g. `contains: ''`, `exists: true`). */
  | { kind: 'always' }
  /** Matches no string (e.g. `null`, `exists: false`). */
  | { kind: 'never' };

/** Needle lists of one case mode. */
interface Needles {
  exact: Set<string>;
  prefix: string[];
  suffix: string[];
  contains: string[];
}

const never: TextTest = () => false;
const always: TextTest = () => true;

function emptyNeedles(): Needles {
  return { exact: new Set(), prefix: [], suffix: [], contains: [] };
}

function addShape(n: Needles, { mode, needle }: LiteralShape): void {
  if (mode === 'eq') n.exact.add(needle);
  else if (mode === 'prefix') n.prefix.push(needle);
  else if (mode === 'suffix') n.suffix.push(needle);
  else n.contains.push(needle);
}

function isEmpty(n: Needles): boolean {
  return n.exact.size === 0 && n.prefix.length === 0 && n.suffix.length === 0 && n.contains.length === 0;
}

/** Remove duplicates, keeping order (rules often repeat a needle across expansions). */
function unique(list: string[]): string[] {
  return [...new Set(list)];
}

/** A test of one string against a set of needles (the string already normalised for case). */
function needleTest(n: Needles): (s: string) => boolean {
  const exact = n.exact;
  const prefix = unique(n.prefix);
  const suffix = unique(n.suffix);
  const contains = unique(n.contains);
  // An empty suffix or substring needle matches every string (as `endsWith('')` does).
  if (suffix.includes('') || contains.includes('') || prefix.includes('')) return () => true;
  const useExact = exact.size > 0;
  const np = prefix.length;
  const ns = suffix.length;
  const nc = contains.length;
  return (s) => {
    if (useExact && exact.has(s)) return true;
    for (let i = 0; i < np; i++) if (s.startsWith(prefix[i]!)) return true;
    for (let i = 0; i < ns; i++) if (s.endsWith(suffix[i]!)) return true;
    for (let i = 0; i < nc; i++) if (s.includes(contains[i]!)) return true;
    return false;
  };
}

/**
 * The needles of an OR-list that holds only case-insensitive literal patterns (and
 * values that never match a string), or undefined when anything else is in it. A string
 * value passes the list's test exactly when its lower-cased text matches one of them,
 * which is what lets the rule-set prefilter index them.
 */
export function foldedLiterals(parts: readonly TextPart[]): LiteralShape[] | undefined {
  const out: LiteralShape[] = [];
  for (const part of parts) {
    if (part.kind === 'never') continue;
    if (part.kind !== 'literal' || part.shape.cased) return undefined;
    out.push(part.shape);
  }
  return out;
}

/** Merge the parts of an OR-list into one {@link TextTest}. */
export function mergeTextParts(parts: readonly TextPart[]): TextTest {
  const folded = emptyNeedles();
  const cased = emptyNeedles();
  const others: TextTest[] = [];
  for (const part of parts) {
    switch (part.kind) {
      case 'always':
        return always;
      case 'never':
        break;
      case 'literal':
        addShape(part.shape.cased ? cased : folded, part.shape);
        break;
      case 'test':
        others.push(part.test);
        break;
    }
  }
  const tests: TextTest[] = [];
  if (!isEmpty(folded)) {
    const t = needleTest(folded);
    tests.push((_s, lower) => t(lower));
  }
  if (!isEmpty(cased)) {
    const t = needleTest(cased);
    tests.push((s) => t(s));
  }
  tests.push(...others);
  if (tests.length === 0) return never;
  if (tests.length === 1) return tests[0]!;
  if (tests.length === 2) {
    const [a, b] = tests as [TextTest, TextTest];
    return (s, lower) => a(s, lower) || b(s, lower);
  }
  return (s, lower) => {
    for (const t of tests) if (t(s, lower)) return true;
    return false;
  };
}
