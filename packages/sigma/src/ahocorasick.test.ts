import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AhoCorasick } from './ahocorasick.js';

/** Every (needle, end) occurrence, found with indexOf. */
function naive(needles: string[], text: string): string[] {
  const out: string[] = [];
  needles.forEach((n, id) => {
    for (let i = text.indexOf(n); i >= 0; i = text.indexOf(n, i + 1)) out.push(`${id}@${i + n.length - 1}`);
  });
  return out.sort();
}

describe('AhoCorasick', () => {
  const str = (min: number, max: number) => fc.array(fc.constantFrom('a', 'b', 'c', '/', 'é', '\u{1F600}'), { minLength: min, maxLength: max }).map((a) => a.join(''));
  it('reports exactly the occurrences indexOf finds (overlapping, nested, repeated needles)', () => {
    fc.assert(
      fc.property(fc.array(str(1, 4), { minLength: 1, maxLength: 8 }), str(0, 20), fc.boolean(), (needles, text, sparse) => {
        const found: string[] = [];
        // The sparse form (used for huge needle lists) must find exactly the same.
        new AhoCorasick(needles, sparse ? { maxDenseCells: 0 } : {}).scan(text, (id, end) => found.push(`${id}@${end}`));
        expect(found.sort()).toEqual(naive(needles, text));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses an empty needle', () => {
    expect(() => new AhoCorasick(['a', ''])).toThrow(/empty/);
  });
});
