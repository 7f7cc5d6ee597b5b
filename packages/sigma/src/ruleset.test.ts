/**
 * The rule set's fast path (shared field cache, merged value lists, prefilter) against a
 * straightforward evaluation of every rule, over random rules and random events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EdrEvent } from '@edrkit/core';
import { allStrings, eventAccessor } from './fields.js';
import type { Accessor, Node } from './ir.js';
import { loadRulesFromText } from './load.js';
import { RuleSet } from './ruleset.js';

/**
 * The straightforward evaluation of a detection tree: each leaf's own per-value `test`
 * closures and a fresh field read per leaf — no merged string tests, no field cache, no
 * prefilter.
 */
function referenceEval<D>(node: Node, doc: D, field: (name: string) => Accessor<D>, keywords: (doc: D) => Iterable<string>): boolean {
  const ev = (n: Node): boolean => {
    switch (n.op) {
      case 'const':
        return n.value;
      case 'not':
        return !ev(n.node);
      case 'and':
        return n.nodes.every(ev);
      case 'or':
        return n.nodes.some(ev);
      case 'atLeast':
        return n.nodes.filter(ev).length >= n.n;
      case 'field':
        return n.test(field(n.field)(doc));
      case 'fieldref':
        return n.test(field(n.field)(doc), field(n.other)(doc));
      case 'keyword':
        return [...keywords(doc)].some((s) => n.test(s));
    }
  };
  return ev(node);
}

const WORDS = ['bash', 'BaSh', '/usr/bin/', 'curl', ' -c ', 'tmp', '*', '?', '\\*', 'x', 'sh', '', '/', 'İ', 'k'];
const word = fc.constantFrom(...WORDS);
const phrase = fc.array(word, { minLength: 0, maxLength: 3 }).map((w) => w.join(''));
const FIELDS = ['Image', 'CommandLine', 'ParentImage', 'ParentCommandLine', 'User', 'OriginalFileName'];
const MODS = ['', '|contains', '|startswith', '|endswith', '|contains|all', '|endswith|cased', '|windash', '|contains|windash'];
const REGEXES = ['bash', 'sh$', '^/usr', 'c.rl', '(?i)BASH', 'x|tmp'];

/** One `Field|mods: value(s)` line of YAML (values JSON-quoted, which YAML reads as-is). */
const line = (field: string, mods: string, values: unknown[]) => `${field}${mods}: ${JSON.stringify(values.length === 1 ? values[0] : values)}`;
const item = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom(...MODS), fc.array(fc.oneof({ weight: 5, arbitrary: phrase }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 4 })).map(([f, m, v]) => line(f, m, v)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), fc.array(fc.constantFrom(...REGEXES), { minLength: 1, maxLength: 3 })).map(([f, v]) => line(f, '|re', v)) },
  { weight: 1, arbitrary: fc.constantFrom(...FIELDS).map((f) => line(f, '', [null])) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), fc.boolean()).map(([f, b]) => line(f, '|exists', [b])) },
);
const selection = fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => items.map((i) => `        ${i}`).join('\n'));
const CONDITIONS = ['sel1', 'sel1 and sel2', 'sel1 or sel2', 'sel1 and not sel2', 'not sel1', '1 of sel*', 'all of sel*', '2 of sel*', 'sel1 and (sel2 or sel3)'];
const rule = fc.tuple(selection, selection, selection, fc.constantFrom(...CONDITIONS), fc.boolean()).map(
  ([s1, s2, s3, condition, keyword]) =>
    `title: random\nlogsource:\n    category: process_creation\n    product: linux\ndetection:\n    sel1:\n${s1}\n    sel2:\n${keyword ? '        - bash\n        - "*tmp*"' : s2}\n    sel3:\n${s3}\n    condition: ${condition}\n`,
);

const value = fc.oneof({ weight: 6, arbitrary: phrase }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) });
const event = fc.record({ exe: value, cmdline: value, pexe: value, pcmd: value, user: value, ofn: value, args: fc.array(phrase, { maxLength: 3 }) }).map(
  (f): EdrEvent =>
    ({
      kind: 'process.exec',
      time: 0,
      seq: 0,
      platform: 'linux',
      source: 'replay',
      process: { pid: 1, ppid: 0, exe: f.exe, cmdline: f.cmdline, args: f.args, user: f.user, parent: { pid: 0, exe: f.pexe, cmdline: f.pcmd } },
      raw: { linux: { OriginalFileName: f.ofn } },
    }) as unknown as EdrEvent,
);

describe('RuleSet.match', () => {
  it('returns exactly the rules a straightforward evaluation matches, in order', () => {
    fc.assert(
      fc.property(fc.array(rule, { minLength: 1, maxLength: 8 }), fc.array(event, { minLength: 1, maxLength: 10 }), (texts, events) => {
        const loaded = texts.flatMap((t) => loadRulesFromText(t));
        const set = new RuleSet(loaded);
        for (const e of events) {
          const want = set.rules.filter((r) => {
            try {
              return referenceEval(r.detection, e, (name) => eventAccessor(name, 'process.exec'), allStrings);
            } catch {
              return false;
            }
          });
          expect(set.match(e)).toEqual(want);
          for (const r of set.rules) expect(r.matchEvent(e)).toBe(want.includes(r));
        }
      }),
      { numRuns: 600 },
    );
  });
});
