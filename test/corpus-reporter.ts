/**
 * Ends a test run with one line about the external corpus (see test/corpus.ts): which
 * tiers were absent, how many tests that skipped, and how to enable them; or, when every
 * corpus test ran, where the corpus was read from. Tests are recognised by the
 * `[corpus:TIER]` in their full name.
 */
import type { Reporter, TestModule } from 'vitest/node';
import { CORPUS_DIR, CORPUS_SETTING } from './corpus.js';

/** Count corpus tests by tier: skipped and run. */
export function corpusCounts(modules: ReadonlyArray<TestModule>): { skipped: Map<string, number>; ran: number } {
  const skipped = new Map<string, number>();
  let ran = 0;
  for (const m of modules) {
    for (const t of m.children.allTests()) {
      const tier = /\[corpus:([a-z-]+)\]/.exec(t.fullName)?.[1];
      if (!tier) continue;
      if (t.result().state === 'skipped') skipped.set(tier, (skipped.get(tier) ?? 0) + 1);
      else ran++;
    }
  }
  return { skipped, ran };
}

/** The one summary line (undefined when the run had no corpus test). */
export function corpusLine(counts: ReturnType<typeof corpusCounts>): string | undefined {
  const total = [...counts.skipped.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return counts.ran ? `corpus: ${CORPUS_DIR} — ${counts.ran} tests used it, none skipped` : undefined;
  const tiers = [...counts.skipped].map(([t, n]) => `${t} ${n}`).join(', ');
  return `corpus: ${counts.ran ? 'partly absent' : 'absent'} (${CORPUS_SETTING}) — ${total} tests skipped (${tiers}); set EDRKIT_CORPUS=/path/to/corpus to run them`;
}

/** The vitest reporter (listed after the default one in vitest.config.ts, so its line comes last). */
export default class CorpusReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const line = corpusLine(corpusCounts(modules));
    if (line) process.stdout.write(`${line}\n`);
  }
}
