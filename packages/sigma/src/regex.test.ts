import { describe, expect, it } from 'vitest';
import { loadRulesFromText } from './load.js';
import { compileRegex, lackingFeatures } from './regex.js';
import { SigmaRuleError } from './errors.js';

function ruleWith(item: string): ReturnType<typeof loadRulesFromText>[number] {
  const text = `title: t\nlogsource: { category: process_creation, product: linux }\ndetection:\n  sel:\n    ${item}\n  condition: sel\n`;
  return loadRulesFromText(text)[0]!;
}

describe('rule regexes on RE2', () => {
  it("runs '^(a+)+$' against a…a! in linear time (a backtracking engine takes a minute)", () => {
    const r = ruleWith(`CommandLine|re: '^(a+)+$'`);
    expect(r.status).toBe('ok');
    for (const n of [30, 100_000]) expect(r.compiled!.matchRecord({ CommandLine: `${'a'.repeat(n)}!` })).toBe(false);
    expect(r.compiled!.matchRecord({ CommandLine: 'a'.repeat(50) })).toBe(true);
  });

  it('keeps the i, m and s sub-modifiers and inline flags', () => {
    const m = (item: string, value: string) => ruleWith(item).compiled!.matchRecord({ Data: value });
    expect(m(`Data|re: 'abc'`, 'xABCx')).toBe(false);
    expect(m(`Data|re|i: 'abc'`, 'xABCx')).toBe(true);
    expect(m(`Data|re: '(?i)abc'`, 'xABCx')).toBe(true);
    expect(m(`Data|re: '^b$'`, 'a\nb\nc')).toBe(false);
    expect(m(`Data|re|m: '^b$'`, 'a\nb\nc')).toBe(true);
    expect(m(`Data|re: 'a.b'`, 'a\nb')).toBe(false);
    expect(m(`Data|re|s: 'a.b'`, 'a\nb')).toBe(true);
    expect(m(`Data|re|i|m: '^B$'`, 'a\nb')).toBe(true);
    expect(m(`Data|re: '\\Aab'`, 'abc')).toBe(true);
  });

  it('refuses what RE2 cannot run, naming the feature', () => {
    const cases: Array<[string, RegExp]> = [
      ['(a)\\1', /backreferences/],
      ['(?<n>a)\\k<n>', /backreferences/],
      ['a(?=b)', /lookahead/],
      ['a(?!b)', /lookahead/],
      ['(?<=a)b', /lookbehind/],
      ['(?<!a)b', /lookbehind/],
      ['(?>a+)b', /atomic groups/],
      ['a++b', /possessive/],
      ['(?x) a b', /extended mode/],
      ['(a|(?R))', /recursion/],
      ['ab\\Z', /\\Z/],
    ];
    for (const [source, reason] of cases) {
      expect(lackingFeatures(source).join()).toMatch(reason);
      const r = ruleWith(`Data|re: '${source.replace(/'/g, "''")}'`);
      expect(r.status, source).toBe('unsupported');
      expect(r.reason).toMatch(reason);
      expect(r.reason).toMatch(/linear-time engine/);
    }
    // Escaped or bracketed syntax characters are not features.
    expect(lackingFeatures('\\(\\?=x[(?=]\\\\1')).toEqual([]);
    expect(lackingFeatures("[\\']?\\s+")).toEqual([]);
  });

  it('reports a malformed regex as invalid with the regex', () => {
    expect(() => compileRegex('a(b', new Set(), 'detection.sel.Data|re')).toThrow(SigmaRuleError);
    const r = ruleWith(`Data|re: 'a(b'`);
    expect(r.status).toBe('invalid');
    expect(r.reason).toMatch(/bad regular expression 'a\(b'/);
  });
});

describe('regexes without syntax', () => {
  it('mean a substring test, cased unless i', () => {
    const m = (item: string, value: string) => ruleWith(item).compiled!.matchRecord({ Data: value });
    expect(m(`Data|re: '-D'`, 'auditctl -D')).toBe(true);
    expect(m(`Data|re: '-D'`, 'auditctl -d')).toBe(false);
    expect(m(`Data|re|i: '-D'`, 'auditctl -d')).toBe(true);
    expect(m(`Data|re|i: 'ΣA'`, 'xσax')).toBe(true); // not ASCII: RE2's case folding
  });
});
