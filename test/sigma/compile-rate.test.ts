/**
 * Every rule of the corpus compiles or has a stated reason; prints the compile rate per
 * product and category; at least 98 % of the Linux and macOS rules in categories edrkit
 * observes compile.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORY_KINDS, loadRules } from '@edrkit/sigma';
import { corpusLabel } from '../corpus.js';
import { CORPUS, HAVE_CORPUS } from './corpus.js';

describe.skipIf(!HAVE_CORPUS)(corpusLabel('corpus rules', 'sigma'), () => {
  it('all compile or carry a reason; >= 98 % of observed linux/macos categories compile', async () => {
    const loaded = await loadRules([path.join(CORPUS, 'sigma/rules')]);
    expect(loaded.length).toBeGreaterThan(300);
    const groups = new Map<string, { ok: number; total: number; statuses: Record<string, number> }>();
    for (const r of loaded) {
      // Every rule either compiled or says why not.
      if (r.status === 'ok') expect(r.compiled).toBeDefined();
      else expect(r.reason.length, `${r.path}: ${r.status} without a reason`).toBeGreaterThan(10);
      const rel = path.relative(path.join(CORPUS, 'sigma/rules'), r.path).split(path.sep);
      const doc = r.compiled?.rule.logsource;
      const product = rel[0] ?? '?';
      const key = `${product}/${doc?.category ?? rel.slice(1, -1).join('/')}`;
      const g = groups.get(key) ?? { ok: 0, total: 0, statuses: {} };
      g.total++;
      if (r.status === 'ok') g.ok++;
      g.statuses[r.status] = (g.statuses[r.status] ?? 0) + 1;
      groups.set(key, g);
    }
    const rows = [...groups].sort(([a], [b]) => a.localeCompare(b));
    console.log(
      'compile rate per product/category:\n' +
        rows.map(([k, g]) => `  ${k.padEnd(40)} ${g.ok}/${g.total} (${((g.ok / g.total) * 100).toFixed(0)}%) ${JSON.stringify(g.statuses)}`).join('\n'),
    );
    let ok = 0;
    let total = 0;
    for (const [key, g] of rows) {
      const [product, category] = key.split('/');
      if ((product === 'linux' || product === 'macos') && category !== undefined && category in CATEGORY_KINDS) {
        ok += g.ok;
        total += g.total;
      }
    }
    console.log(`linux+macos rules in observed categories: ${ok}/${total} compile (${((ok / total) * 100).toFixed(1)}%)`);
    expect(total).toBeGreaterThan(100);
    expect(ok / total).toBeGreaterThanOrEqual(0.98);
    for (const r of loaded.filter((x) => x.status !== 'ok')) expect(['not-applicable', 'unsupported', 'invalid']).toContain(r.status);
  });
});
