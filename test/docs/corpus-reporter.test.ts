// The corpus reporter's one line (test/corpus-reporter.ts), from test results shaped as vitest gives them.
import { describe, expect, it } from 'vitest';
import type { TestModule } from 'vitest/node';
import { corpusCounts, corpusLine } from '../corpus-reporter.js';
import { CORPUS_DIR, CORPUS_SETTING, corpusLabel } from '../corpus.js';

function modules(tests: [name: string, state: 'passed' | 'skipped' | 'failed'][]): TestModule[] {
  const allTests = function* () {
    for (const [fullName, state] of tests) yield { fullName, result: () => ({ state }) };
  };
  return [{ children: { allTests } } as unknown as TestModule];
}

describe('corpus reporter', () => {
  it('names the skipped tiers, their counts and EDRKIT_CORPUS in one line', () => {
    const line = corpusLine(corpusCounts(modules([
      ['OCSF export [corpus:ocsf] > a', 'skipped'],
      ['OCSF export [corpus:ocsf] > b', 'skipped'],
      ['corpus rules [corpus:sigma] > c', 'skipped'],
      ['unrelated > d', 'skipped'],
      ['unrelated > e', 'passed'],
    ])));
    expect(line).toBe(`corpus: absent (${CORPUS_SETTING}) — 3 tests skipped (ocsf 2, sigma 1); set EDRKIT_CORPUS=/path/to/corpus to run them`);
  });

  it('says partly absent when some corpus tests ran, where it was read from when none skipped, nothing without corpus tests', () => {
    expect(corpusLine(corpusCounts(modules([['x [corpus:ocsf] > a', 'passed'], ['y [corpus:sigma-spec] > b', 'skipped']])))).toMatch(/^corpus: partly absent .* 1 tests skipped \(sigma-spec 1\)/);
    expect(corpusLine(corpusCounts(modules([['x [corpus:ocsf] > a', 'passed'], ['x [corpus:ocsf] > b', 'failed']])))).toBe(`corpus: ${CORPUS_DIR} — 2 tests used it, none skipped`);
    expect(corpusLine(corpusCounts(modules([['plain > a', 'skipped']])))).toBeUndefined();
  });

  it('labels a corpus test with its tier, and with the skip reason when the tier is absent', () => {
    expect(corpusLabel('OCSF export', 'ocsf')).toMatch(/^OCSF export \[corpus:ocsf\]( — skipped: .*ocsf\/dictionary\.json not found \(set EDRKIT_CORPUS\))?$/);
  });
});
