/**
 * The merged OR-list string test (and the literals the prefilter indexes) against the
 * per-value tests they replace, and the per-value tests against a naive wildcard matcher.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordResolver, type FieldRecord } from './fields.js';
import { bind, type Node } from './ir.js';
import { compileItem } from './modifiers.js';

// A small alphabet so that patterns and values collide often; it includes wildcards, the
// escape character, separators, and letters whose case mapping is special.
const CHARS = ['a', 'A', 'b', 'B', '*', '?', '\\', '/', '-', ' ', 'İ', 'ı', 'K', 'ß', '1', '0'];
const text = (max = 6) => fc.array(fc.constantFrom(...CHARS), { maxLength: max }).map((a) => a.join(''));
const MODIFIERS = [[], ['contains'], ['startswith'], ['endswith'], ['contains', 'all'], ['cased'], ['contains', 'cased'], ['endswith', 'cased'], ['windash'], ['contains', 'windash'], ['re'], ['exists'], ['gt'], ['base64'], ['contains', 'neq']];
const yamlValue = fc.oneof({ weight: 8, arbitrary: text() }, { weight: 1, arbitrary: fc.integer({ min: -2, max: 20 }) }, { weight: 1, arbitrary: fc.boolean() });
const fieldValue = fc.oneof(
  { weight: 8, arbitrary: text(10) },
  { weight: 1, arbitrary: fc.integer({ min: -2, max: 20 }) },
  { weight: 1, arbitrary: fc.array(text(6), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, true, false) },
);

function tryCompile(mods: string[], values: unknown[]): Node | undefined {
  try {
    return compileItem(['F', ...mods].join('|'), values.length === 1 ? values[0] : values, 'test');
  } catch {
    return undefined; // invalid combination (e.g. `re` with a bad regex): not of interest here
  }
}

/** The item evaluated with its leaves' own per-value tests (no merged string test, no cache). */
function reference(node: Node, record: FieldRecord): boolean {
  switch (node.op) {
    case 'and':
      return node.nodes.every((n) => reference(n, record));
    case 'or':
      return node.nodes.some((n) => reference(n, record));
    case 'not':
      return !reference(node.node, record);
    case 'field':
      return node.test(record[node.field]);
    default:
      throw new Error(`unexpected ${node.op} in a single item`);
  }
}

function leaves(node: Node, out: Node[] = []): Node[] {
  if (node.op === 'and' || node.op === 'or' || node.op === 'atLeast') node.nodes.forEach((n) => leaves(n, out));
  else if (node.op === 'not') leaves(node.node, out);
  else out.push(node);
  return out;
}

describe('merged value lists', () => {
  it('a compiled item gives the same answer as its per-value tests, for any value', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODIFIERS), fc.array(yamlValue, { minLength: 1, maxLength: 5 }), fieldValue, (mods, values, v) => {
        const node = tryCompile(mods, values);
        fc.pre(node !== undefined);
        const record: FieldRecord = { F: v };
        expect(bind(node!, recordResolver)(record)).toBe(reference(node!, record));
      }),
      { numRuns: 5000 },
    );
  });

  it('`text` agrees with `test` and `literals` with both, for string values', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODIFIERS), fc.array(yamlValue, { minLength: 1, maxLength: 5 }), text(10), (mods, values, s) => {
        const node = tryCompile(mods, values);
        fc.pre(node !== undefined);
        for (const leaf of leaves(node!)) {
          if (leaf.op !== 'field') continue;
          const want = leaf.test(s);
          const lower = s.toLowerCase();
          if (leaf.text) expect(leaf.text(s, lower)).toBe(want);
          if (leaf.literals) {
            const hit = leaf.literals.some(({ mode, needle }) =>
              mode === 'eq' ? lower === needle : mode === 'prefix' ? lower.startsWith(needle) : mode === 'suffix' ? lower.endsWith(needle) : lower.includes(needle),
            );
            expect(hit).toBe(want);
          }
        }
      }),
      { numRuns: 5000 },
    );
  });
});

/**
 * Naive Sigma wildcard match (ASCII): `*` any run, `?` one character, `\` escapes `*`,
 * `?`, `\`; `before`/`after` add a wildcard (contains, startswith, endswith).
 */
function naiveMatch(raw: string, s: string, before: boolean, after: boolean): boolean {
  const toks: Array<string | { star: true } | { one: true }> = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && '*?\\'.includes(raw[i + 1] ?? 'x')) toks.push(raw[++i]!.toLowerCase());
    else if (c === '*') toks.push({ star: true });
    else if (c === '?') toks.push({ one: true });
    else toks.push(c.toLowerCase());
  }
  if (before) toks.unshift({ star: true });
  if (after) toks.push({ star: true });
  const v = s.toLowerCase();
  const go = (t: number, i: number): boolean => {
    if (t === toks.length) return i === v.length;
    const tok = toks[t]!;
    if (typeof tok === 'string') return v[i] === tok && go(t + 1, i + 1);
    if ('one' in tok) return i < v.length && go(t + 1, i + 1);
    for (let j = i; j <= v.length; j++) if (go(t + 1, j)) return true;
    return false;
  };
  return go(0, 0);
}

describe('value lists against a naive reference (ASCII)', () => {
  const ascii = (max: number) => fc.array(fc.constantFrom('a', 'B', 'c', '*', '?', '\\', '/', ' '), { maxLength: max }).map((a) => a.join(''));
  const MODES: Array<[string, boolean, boolean]> = [
    ['', false, false],
    ['contains', true, true],
    ['startswith', false, true],
    ['endswith', true, false],
  ];
  it('match when any value matches as a wildcard pattern, case-insensitively', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODES), fc.array(ascii(5), { minLength: 1, maxLength: 6 }), ascii(8), ([mod, before, after], values, s) => {
        const node = compileItem(mod ? `F|${mod}` : 'F', values, 'test');
        const test = bind(node, recordResolver);
        for (const v of [s, s.toUpperCase()]) expect(test({ F: v })).toBe(values.some((p) => naiveMatch(p, v, before, after)));
      }),
      { numRuns: 5000 },
    );
  });
});
