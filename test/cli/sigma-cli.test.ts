// `edrkit detect --replay` and `edrkit sigma lint` through the real command, over the bundled
// recording: with the starter pack and rules written here, and with the corpus's SigmaHQ rules
// (those tests skip with a reason when the corpus is absent).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusLabel } from '../corpus.js';
import { edrkit, repoRoot } from './cli-helpers.js';

const corpus = process.env.EDRKIT_CORPUS ?? resolve(repoRoot, '../shared/corpus');
const linuxRules = resolve(corpus, 'sigma/rules/linux');
const demo = resolve(repoRoot, 'examples/recordings/demo.jsonl');
const reason = existsSync(linuxRules) ? undefined : `corpus not found at ${corpus} (set EDRKIT_CORPUS)`;

describe.skipIf(reason !== undefined)(corpusLabel('Sigma commands over SigmaHQ rules', 'sigma'), () => {
  it('detect --replay prints one JSON line per match and a summary with skip reasons on stderr', async () => {
    const r = await edrkit(['detect', '--rules', linuxRules, '--replay', demo, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const matches = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { rule: { id: string; title: string; level: string; tags: string[] }; event: { kind: string; process: { args: string[] } } });
    // The demo deletes two things with rm: SigmaHQ's "File Deletion" rule fires on each.
    const deletions = matches.filter((m) => m.rule.id === '30aed7b6-d2c1-4eaf-9382-b6bc43e50c57');
    expect(deletions.map((m) => m.event.process.args[0])).toEqual(['rm', 'rm']);
    expect(deletions[0]?.rule).toMatchObject({ title: 'File Deletion', level: 'informational' });
    expect(Array.isArray(deletions[0]?.rule.tags)).toBe(true);
    expect(r.stderr).toMatch(/^edrkit: \d+ Sigma rules: \d+ loaded, \d+ skipped/m);
    expect(r.stderr).toMatch(/skipped \d+ \(not-applicable: logsource: service 'auditd'/);
    expect(r.stderr).toMatch(/edrkit: \d+ matches from \d+ rules over \d+ events/);
  });

  it('sigma lint --format json gives every rule a status, and every non-ok rule a reason', async () => {
    const r = await edrkit(['sigma', 'lint', linuxRules, '--format', 'json']);
    const report = JSON.parse(r.stdout) as { rules: { path: string; id: string | null; title: string | null; status: string; reason: string | null }[] };
    expect(report.rules.length).toBeGreaterThan(100);
    for (const rule of report.rules) {
      expect(['ok', 'not-applicable', 'unsupported', 'invalid']).toContain(rule.status);
      if (rule.status !== 'ok') expect(rule.reason, rule.path).toBeTruthy();
    }
    expect(r.code).toBe(0);
  });

});

describe('Sigma commands over project-written rules', () => {
  it('detect without --rules runs the signed starter pack', async () => {
    const r = await edrkit(['detect', '--replay', demo, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^edrkit: no --rules given: starter pack edrkit-starter \d+\.\d+\.\d+ \(signature verified, key [0-9A-F]{16}\)$/m);
    const titles = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { rule: { title: string } }).rule.title);
    // The demo makes its downloaded payload executable in /tmp.
    expect(titles).toContain('File in a temporary directory made executable');
  });

  it('a broken rule is reported invalid with its reason and never stops the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edrkit-rules-'));
    writeFileSync(join(dir, 'bad.yml'), 'title: broken\nlogsource: { product: linux, category: process_creation }\ndetection:\n  sel: { Image|endswith: /x }\n  condition: sel and missing_selection\n');
    writeFileSync(join(dir, 'good.yml'), 'title: good\nid: 11111111-2222-3333-4444-555555555555\nlogsource: { product: linux, category: process_creation }\ndetection:\n  sel: { Image|endswith: /rm }\n  condition: sel\nlevel: low\n');
    const lint = await edrkit(['sigma', 'lint', dir, '--format', 'json']);
    const rules = (JSON.parse(lint.stdout) as { rules: { path: string; status: string; reason: string }[] }).rules;
    expect(rules.find((x) => x.path.endsWith('bad.yml'))).toMatchObject({ status: 'invalid', reason: expect.stringMatching(/missing_selection/) });
    expect(rules.find((x) => x.path.endsWith('good.yml'))?.status).toBe('ok');
    const detect = await edrkit(['detect', '--rules', dir, '--replay', demo, '--format', 'json']);
    expect(detect.code, detect.stderr).toBe(0);
    expect(detect.stdout.trim().split('\n')).toHaveLength(2);
    expect((await edrkit(['detect', '--rules', dir, '--replay', demo, '--input-format', 'evtx'])).code).toBe(2);
  });
});
