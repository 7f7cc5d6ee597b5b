import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { requiredLiterals } from './regex-literals.js';

describe('required literals of a regex', () => {
  it('finds the literals of corpus-like patterns', () => {
    expect(requiredLiterals(`-(W|R)\\s?(\\s|"|')([0-9a-fA-F]{2}\\s?){2,20}(\\s|"|')`)).toEqual(['-W', '-R']);
    expect(requiredLiterals('\\s-O\\s')).toEqual(['-O']);
    expect(requiredLiterals('(?:\\s-[^-\\s]{0,20}i|\\s--inode\\s)')).toBeUndefined();
    expect(requiredLiterals('ab+c')).toEqual(['ab']);
    expect(requiredLiterals('a|b')).toBeUndefined();
    expect(requiredLiterals('(.){200,}')).toBeUndefined();
    expect(requiredLiterals('x?yz*')).toEqual(['y']);
  });

  it('never rules out a string the regex matches', () => {
    const piece = fc.constantFrom('a', 'b', '-', 'ab', '(a|b)', '(?:ab|b)', '[ab]', '.', '\\s', ' ', '\\-', '^', '$', '(a(b))', '[]a]');
    const quant = fc.constantFrom('', '', '', '?', '*', '+', '{0,2}', '{2}', '{1,}', '+?');
    const regex = fc.array(fc.tuple(piece, quant), { minLength: 1, maxLength: 6 }).map((parts) => parts.map(([p, q]) => p + q).join(''));
    fc.assert(
      fc.property(regex, fc.string({ unit: fc.constantFrom('a', 'b', '-', ' ', ']'), maxLength: 12 }), (source, s) => {
        let re: RE2JS;
        try {
          re = RE2JS.compile(source);
        } catch {
          return; // not a regex RE2 accepts: the engine refuses it before literals matter
        }
        const lits = requiredLiterals(source);
        if (lits && re.test(s)) expect(lits.some((l) => s.includes(l)), `${source} on ${JSON.stringify(s)}: ${JSON.stringify(lits)}`).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
});
