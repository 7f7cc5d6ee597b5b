/**
 * Every SigmaHQ regression triple in the corpus (rule, Sysmon events as evtx_dump JSON,
 * expected match count) through the real CLI code path: `edrkit detect --replay FILE
 * --input-format evtx-json --rules RULE --format json`, run in-process with `main()` (the
 * bin's own entry) so 100+ triples cost seconds, not a process start each; one triple is
 * also run through the spawned bin. Unlike test/sigma/regression.test.ts (rules over the
 * raw EventData records), this checks the import: the Sysmon records become edrkit events
 * and the rules see them through the Sigma field mapping and `raw.windows`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '@edrkit/cli';
import { backends } from 'edrkit';
import { corpusLabel } from '../corpus.js';
import { CORPUS, HAVE_CORPUS } from '../sigma/corpus.js';
import { edrkit } from '../cli/cli-helpers.js';

/** The same pins as test/sigma/regression.test.ts: SigmaHQ counts fewer hits than the events that match (checked by hand there). */
const MORE_MATCHES_THAN_SIGMAHQ: Readonly<Record<string, number>> = {
  file_event_win_anydesk_artefact: 3,
  file_event_win_cred_dump_tools_dropped_files: 3,
  registry_set_change_security_zones: 3,
  registry_set_disable_administrative_share: 2,
};

interface Triple {
  name: string;
  rule: string;
  events: string;
  want: number | undefined;
}

function ruleFiles(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) ruleFiles(p, out);
    else if (e.name.endsWith('.yml')) {
      const id = /^id:\s*([0-9a-f-]{36})/m.exec(readFileSync(p, 'utf8'))?.[1];
      if (id) out.set(id, p);
    }
  }
  return out;
}

function triples(): Triple[] {
  const rules = ruleFiles(path.join(CORPUS, 'sigma/rules/windows'));
  const out: Triple[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'info.yml') {
        const info = parseYaml(readFileSync(p, 'utf8')) as { rule_metadata: Array<{ id: string }>; regression_tests_info: Array<{ path: string; match_count?: number }> };
        const rule = rules.get(info.rule_metadata[0]?.id ?? '');
        if (!rule) continue; // the rule is in the held-back half of the corpus
        const name = path.basename(d);
        for (const t of info.regression_tests_info) {
          const events = path.join(CORPUS, 'sigma', t.path.replace(/\.evtx$/, '.json'));
          if (existsSync(events)) out.push({ name, rule, events, want: MORE_MATCHES_THAN_SIGMAHQ[name] ?? t.match_count });
        }
      }
    }
  };
  walk(path.join(CORPUS, 'sigma/regression_data'));
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** Run `edrkit ARGS` in this process; stdout and stderr captured. */
async function detectInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const capture = (add: (s: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      add(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      cb?.();
      return true;
    }) as typeof process.stdout.write;
  process.stdout.write = capture((s) => (stdout += s));
  process.stderr.write = capture((s) => (stderr += s));
  try {
    const code = await main(args, { backends });
    return { code, stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = undefined;
  }
}

const args = (t: Triple) => ['detect', '--replay', t.events, '--input-format', 'evtx-json', '--rules', t.rule, '--format', 'json'];

describe.skipIf(!HAVE_CORPUS)(corpusLabel('SigmaHQ regression triples through edrkit detect --input-format evtx-json', 'sigma'), () => {
  it('give the expected match count, every one', async () => {
    const all = triples();
    expect(all.length).toBeGreaterThan(100);
    const failures: string[] = [];
    for (const t of all) {
      const r = await detectInProcess(args(t));
      const matches = r.stdout.split('\n').filter(Boolean).length;
      const good = r.code === 0 && (t.want === undefined ? matches >= 1 : matches === t.want);
      if (!good) failures.push(`${t.name}: exit ${r.code}, ${matches} matches, want ${t.want ?? '>= 1'}${r.code ? `: ${r.stderr.trim().split('\n').pop()}` : ''}`);
    }
    console.log(`evtx-json regression triples: ${all.length - failures.length}/${all.length} give the expected count through edrkit detect`);
    expect(failures).toEqual([]);
  }, 120_000);

  it('the spawned bin gives the same count (the triple with 7 matches)', async () => {
    const t = triples().reduce((a, b) => ((b.want ?? 0) > (a.want ?? 0) ? b : a));
    const r = await edrkit(args(t));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBe(t.want);
    const first = JSON.parse(r.stdout.split('\n')[0]!) as { event: { platform: string; source: string; raw: { windows: Record<string, unknown> } } };
    expect(first.event).toMatchObject({ platform: 'windows', source: 'replay', raw: { windows: { provider: 'Microsoft-Windows-Sysmon' } } });
  });
});
