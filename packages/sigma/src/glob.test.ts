import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch, type GlobCounter } from './glob.js';
import { parsePattern, type PatternToken } from './pattern.js';

/** The meaning of a pattern as a backtracking RegExp: the oracle, on short inputs only. */
function oracle(tokens: readonly PatternToken[], folded: boolean): RegExp {
  const esc = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  const body = tokens
    .map((t) => (t.t === 'star' ? '[\\s\\S]*' : t.t === 'one' ? '[\\s\\S]' : t.t === 'set' ? `[${t.chars.replace(/[\\\]^-]/g, '\\$&')}]` : esc(t.c)))
    .join('');
  return new RegExp(`^${body}$`, folded ? 'iu' : 'u');
}

function steps(pattern: string, value: string): number {
  const counter: GlobCounter = { steps: 0 };
  globMatch(compileGlob(parsePattern(pattern), false), value, counter);
  return counter.steps;
}

describe('glob matching', () => {
  it('means what the anchored RegExp of the pattern means', () => {
    const alphabet = fc.constantFrom('a', 'b', 'A', '*', '?', '\\', '-', '😀');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 8 }), fc.string({ unit: fc.constantFrom('a', 'b', 'A', '-', '😀', '*'), maxLength: 10 }), fc.boolean(), (raw, value, folded) => {
        const tokens = parsePattern(raw);
        const glob = compileGlob(tokens, folded);
        expect(globMatch(glob, folded ? value.toLowerCase() : value)).toBe(oracle(tokens, folded).test(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('matches character sets (windash) and astral characters as one character', () => {
    const set: PatternToken[] = [{ t: 'set', chars: '-/' }, { t: 'lit', c: 'e' }];
    expect(globMatch(compileGlob(set, true), '/e')).toBe(true);
    expect(globMatch(compileGlob(set, true), '+e')).toBe(false);
    expect(globMatch(compileGlob(parsePattern('a?b'), false), 'a😀b')).toBe(true);
  });

  it('does work linear in the value for a fixed pattern, even for hostile patterns', () => {
    // `*a*a*a*a*b` against a…a is exponential for a backtracking engine.
    for (const pattern of ['*a*a*a*a*a*a*a*a*b', '**********z', '*?a?*?a?*b', 'a*a*a*a*a*a*a*a*a*b']) {
      const small = steps(pattern, 'a'.repeat(1_000));
      const big = steps(pattern, 'a'.repeat(10_000));
      // Ten times the input, at most ten times the work (plus the pattern's own length).
      expect(big).toBeLessThanOrEqual(10 * small + 10 * pattern.length);
      expect(big).toBeLessThanOrEqual(10_000 * pattern.length);
    }
  });

  it('does at most value × pattern comparisons for any pattern and value', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '*', '?', 'b'), maxLength: 30 }), fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 200 }), (raw, value) => {
        const counter: GlobCounter = { steps: 0 };
        globMatch(compileGlob(parsePattern(raw), false), value, counter);
        expect(counter.steps).toBeLessThanOrEqual((value.length + 1) * (raw.length + 1) * 2);
      }),
    );
  });
});

describe('glob matching of huge values', () => {
  it('compiles and matches a megabyte-long wildcard value', () => {
    const big = 'x'.repeat(1 << 20);
    const glob = compileGlob(parsePattern(`a*${big}*b`), true);
    expect(globMatch(glob, `a-${big}-b`)).toBe(true);
    expect(globMatch(glob, `a-${big.slice(1)}-b`)).toBe(false);
  });
});
