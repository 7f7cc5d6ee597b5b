/**
 * Every payload template the `windows-etw` backend decodes is the provider manifest's own:
 * each line of packages/windows/src/etw/templates.ts equals the (provider, id, version) row of
 * the TDH dump in the corpus (jdu2600/Windows10EtwEvents), field by field. PowerShell is not
 * in that dump and is listed as the one exception.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../../packages/windows/src/etw/templates.js';
import { corpusLabel } from '../corpus.js';
import { CORPUS, HAVE_CORPUS } from '../sigma/corpus.js';

const DUMP = path.join(CORPUS, 'windows/etw-manifests/jdu2600-Windows10EtwEvents/manifest');
const NOT_IN_DUMP = new Set(['Microsoft-Windows-PowerShell']);

describe.skipIf(!HAVE_CORPUS)(corpusLabel('ETW templates against the manifests', 'sigma'), () => {
  it('each decoded (provider, id, version) has exactly the manifest fields', () => {
    const rows = new Map<string, string>();
    const providers = new Set([...TEMPLATES.values()].map((t) => t.provider).filter((p) => !NOT_IN_DUMP.has(p)));
    for (const provider of providers) {
      for (const line of readFileSync(path.join(DUMP, `${provider}.tsv`), 'utf8').split('\n').slice(1)) {
        const [p, id, version, fields] = line.split('\t');
        if (p && fields) rows.set(`${p}/${id}/${version}`, fields);
      }
    }
    const checked: string[] = [];
    for (const [key, t] of TEMPLATES) {
      if (NOT_IN_DUMP.has(t.provider)) continue;
      expect(rows.get(key), key).toBe(t.text);
      checked.push(key);
    }
    expect(checked.length).toBeGreaterThan(30);
  });
});
