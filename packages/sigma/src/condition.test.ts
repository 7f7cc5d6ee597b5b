import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, parseCondition } from './condition.js';
import { SigmaRuleError } from './errors.js';
import { bind, type Node } from './ir.js';

/** Evaluate a condition where each identifier is true when listed in `truthy`. */
function evaluate(condition: string, names: string[], truthy: string[]): boolean {
  const selections = new Map<string, Node>(names.map((n) => [n, { op: 'field', field: n, test: (v) => v === true }]));
  const node = compileCondition(parseCondition(condition), selections, condition);
  const doc = Object.fromEntries(names.map((n) => [n, truthy.includes(n)]));
  return bind<Record<string, unknown>>(node, { field: (n) => (d) => d[n], keywords: () => [] })(doc);
}

describe('conditions (spec: Condition)', () => {
  const ids = ['keywords1', 'keywords2', 'selection1', 'filters', '_hidden'];

  it('logical and / or', () => {
    expect(evaluate('keywords1 or keywords2', ids, ['keywords2'])).toBe(true);
    expect(evaluate('keywords1 and keywords2', ids, ['keywords2'])).toBe(false);
    expect(evaluate('keywords1 and keywords2', ids, ['keywords1', 'keywords2'])).toBe(true);
  });

  it('negation with not', () => {
    expect(evaluate('keywords1 and not filters', ids, ['keywords1'])).toBe(true);
    expect(evaluate('keywords1 and not filters', ids, ['keywords1', 'filters'])).toBe(false);
  });

  it('brackets', () => {
    expect(evaluate('selection1 and (keywords1 or keywords2)', ids, ['selection1', 'keywords2'])).toBe(true);
    expect(evaluate('selection1 and (keywords1 or keywords2)', ids, ['keywords2'])).toBe(false);
  });

  it('precedence: or < and < not', () => {
    // a or b and c == a or (b and c)
    expect(evaluate('keywords1 or keywords2 and selection1', ids, ['keywords1'])).toBe(true);
    expect(evaluate('keywords1 or keywords2 and selection1', ids, ['keywords2'])).toBe(false);
    // not a and b == (not a) and b
    expect(evaluate('not keywords1 and keywords2', ids, ['keywords2'])).toBe(true);
    expect(evaluate('not keywords1 and keywords2', ids, [])).toBe(false);
  });

  it('1 of them / all of them skip identifiers starting with _', () => {
    expect(evaluate('1 of them', ids, ['_hidden'])).toBe(false);
    expect(evaluate('1 of them', ids, ['filters'])).toBe(true);
    expect(evaluate('all of them', ids, ['keywords1', 'keywords2', 'selection1', 'filters'])).toBe(true);
    expect(evaluate('all of them', ids, ['keywords1', 'keywords2', 'selection1'])).toBe(false);
  });

  it('1/all of a pattern, N of, and combinations', () => {
    expect(evaluate('all of keywords*', ids, ['keywords1', 'keywords2'])).toBe(true);
    expect(evaluate('all of keywords*', ids, ['keywords1'])).toBe(false);
    expect(evaluate('1 of keywords* and selection1', ids, ['keywords2', 'selection1'])).toBe(true);
    expect(evaluate('1 of keywords* and not 1 of filter*', ids, ['keywords2', 'filters'])).toBe(false);
    expect(evaluate('2 of keywords*', ids, ['keywords2'])).toBe(false);
    expect(evaluate('2 of them', ids, ['keywords2', 'filters'])).toBe(true);
    expect(evaluate('3 of keywords*', ids, ['keywords1', 'keywords2'])).toBe(false);
    expect(evaluate('not 1 of keywords*', ids, [])).toBe(true);
    expect(evaluate('1 of key*ds?', ids, ['keywords1'])).toBe(true);
  });

  it('keywords are case-insensitive, identifiers are not', () => {
    expect(evaluate('keywords1 AND NOT filters', ids, ['keywords1'])).toBe(true);
    expect(() => evaluate('Keywords1', ids, [])).toThrow(SigmaRuleError);
  });

  it('rejects bad conditions with a position', () => {
    for (const bad of ['', 'a and', '(a', 'a)', 'and a', '1 of', 'x of a', 'a b', 'not']) {
      expect(() => parseCondition(bad), bad).toThrow(SigmaRuleError);
    }
    try {
      parseCondition('sel and (filter or');
    } catch (e) {
      expect((e as SigmaRuleError).status).toBe('invalid');
      expect((e as Error).message).toMatch(/end in 'sel and \(filter or'/);
    }
  });

  it('rejects Sigma 1 aggregations as unsupported, and unknown identifiers as invalid', () => {
    expect(() => parseCondition('selection | count() by host > 5')).toThrow(expect.objectContaining({ status: 'unsupported' }));
    expect(() => evaluate('nothere', ids, [])).toThrow(/does not define/);
    expect(() => evaluate('1 of nomatch*', ids, [])).toThrow(/matches no search identifier/);
  });
});

describe('hostile conditions', () => {
  it('refuses 10k nested parentheses or nots with a named error, not a stack overflow', () => {
    for (const text of [`${'('.repeat(10_000)}a${')'.repeat(10_000)}`, `${'not '.repeat(10_000)}a`, `${'( not '.repeat(5_000)}a${')'.repeat(5_000)}`]) {
      let error: unknown;
      try {
        parseCondition(text);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(SigmaRuleError);
      expect((error as SigmaRuleError).code).toBe('ERR_SIGMA_INVALID');
      expect((error as SigmaRuleError).message).toMatch(/condition nests deeper than 64/);
    }
    // 64 levels are fine.
    expect(evaluate(`${'('.repeat(32)}${'not '.repeat(31)}a${')'.repeat(32)}`, ['a'], ['a'])).toBe(false);
  });

  it("matches '1 of **********z' without backtracking", () => {
    const names = ['a'.repeat(5_000), `${'a'.repeat(40)}z`];
    expect(evaluate('1 of **********z', names, [names[1]!])).toBe(true);
    expect(() => evaluate('1 of **********y', names, [])).toThrow(/matches no search identifier/);
  });

  it('any token soup is parsed or refused with a SigmaRuleError', () => {
    const token = fc.constantFrom('(', ')', 'not', 'and', 'or', '1', 'all', 'of', 'them', 'a', 'sel*', '?', '|', ' ');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 200 }), (tokens) => {
        try {
          parseCondition(tokens.join(' '));
        } catch (err) {
          expect(err).toBeInstanceOf(SigmaRuleError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
