/**
 * The OTRF Security-Datasets logs in the corpus (winlog JSON Lines: Sysmon, Security, SCM)
 * imported with `winlog-json`: one edrkit event per mapped record, counted per kind and file.
 * The expected counts were made from the files independently of the mapper (a count of
 * SourceName × EventID, Sysmon 3 split by `Initiated`, Sysmon 12 by `EventType`): a change in
 * what a record maps to changes a number here.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSensor, ReplayBackend, type EdrEvent, type EventOfKind } from '@edrkit/core';
import { winlogJsonFormat } from '@edrkit/windows';
import { corpusLabel } from '../corpus.js';
import { CORPUS, HAVE_CORPUS } from '../sigma/corpus.js';

const ROOT = path.join(CORPUS, 'windows/otrf-security-datasets/datasets/atomic/windows');

const EXPECTED: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  cmd_psexec_lsa_secrets_dump: { 'dns.query': 2, 'file.create': 7, 'image.load': 130, 'net.accept': 1, 'net.connect': 1, 'pipe.connect': 7, 'pipe.create': 7, 'process.access': 38, 'process.exec': 8, 'process.exit': 8, 'registry.create': 13, 'registry.delete': 1, 'registry.set': 23, 'service.create': 2, unmapped: 38 },
  cmd_sam_copy_esentutl: { 'file.create': 4, 'image.load': 55, 'pipe.connect': 2, 'process.access': 245, 'process.exec': 2, 'process.exit': 4, 'registry.create': 68, 'registry.delete': 9, 'registry.set': 208, unmapped: 318 },
  cmd_bitsadmin_download_psh_script: { 'auth.logon': 1, 'dns.query': 3, 'file.create': 6, 'file.delete': 2, 'image.load': 141, 'net.accept': 3, 'net.connect': 5, 'pipe.connect': 2, 'process.access': 96, 'process.exec': 4, 'process.exit': 4, 'registry.create': 55, 'registry.set': 15, 'service.modify': 1, unmapped: 86 },
  cmd_mshta_vbscript_execute_psh: { 'file.create': 5, 'file.delete': 3, 'image.load': 238, 'pipe.connect': 1, 'pipe.create': 1, 'process.access': 184, 'process.exec': 6, 'process.exit': 2, 'registry.create': 401, 'registry.set': 48, unmapped: 238 },
  cmd_discover_iexplorer_version_registry: { 'file.create': 1, 'image.load': 10, 'process.access': 33, 'process.exec': 2, 'process.exit': 2, 'registry.create': 1, 'registry.set': 9, unmapped: 10 },
  cmd_seatbelt_group_user: { 'file.create': 11, 'image.load': 122, 'pipe.connect': 2, 'process.access': 157, 'process.exec': 4, 'process.exit': 2, 'registry.create': 23, 'registry.set': 16, unmapped: 114 },
  psh_powershell_httplistener: { 'dns.query': 1, 'image.load': 8, 'process.access': 67, 'registry.create': 13, 'registry.set': 15, unmapped: 6 },
  cmd_userinitmprlogonscript_batch: { 'file.create': 4, 'image.load': 11, 'process.access': 65, 'process.exec': 2, 'process.exit': 2, 'registry.create': 3, 'registry.set': 19, unmapped: 16 },
};

function datasets(): Array<{ name: string; file: string }> {
  const out: Array<{ name: string; file: string }> = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json')) out.push({ name: path.basename(d), file: p });
    }
  };
  walk(ROOT);
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

async function importCounts(file: string): Promise<{ counts: Record<string, number>; events: EdrEvent[] }> {
  const backend = new ReplayBackend({ path: file, format: winlogJsonFormat });
  const sensor = await openSensor({ backend, filter: { includeSelf: true } });
  const counts: Record<string, number> = {};
  const events: EdrEvent[] = [];
  for await (const e of sensor) {
    counts[e.kind] = (counts[e.kind] ?? 0) + 1;
    events.push(e);
  }
  const stats = sensor.stats().backend as Record<string, number>;
  counts['unmapped'] = stats['unmapped'] ?? 0;
  return { counts, events };
}

describe.skipIf(!HAVE_CORPUS)(corpusLabel('OTRF Windows logs through winlog-json', 'sigma'), () => {
  it('import every dataset with one event per mapped record, per kind, and none invalid', async () => {
    const all = datasets();
    expect(all.map((d) => d.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const d of all) {
      const { counts, events } = await importCounts(d.file);
      expect({ [d.name]: counts }).toEqual({ [d.name]: EXPECTED[d.name] });
      for (const e of events) expect(e.platform).toBe('windows');
    }
  });

  it('keep the record under raw.windows and fill the model from it (bitsadmin dataset)', async () => {
    const d = datasets().find((x) => x.name === 'cmd_bitsadmin_download_psh_script')!;
    const { events } = await importCounts(d.file);
    const exec = events.find((e): e is EventOfKind<'process.exec'> => e.kind === 'process.exec' && e.raw?.windows?.['provider'] === 'Microsoft-Windows-Sysmon' && e.process.exe.toLowerCase().endsWith('\\bitsadmin.exe'));
    expect(exec, 'the Sysmon process creation of bitsadmin').toBeDefined();
    expect(exec!.process.args[0]?.toLowerCase()).toContain('bitsadmin');
    expect(exec!.process.parent?.exe).toMatch(/\.exe$/i);
    expect(exec!.raw?.windows).toMatchObject({ provider: 'Microsoft-Windows-Sysmon', eventId: 1, OriginalFileName: expect.any(String) });
    const logon = events.find((e) => e.kind === 'auth.logon');
    expect(logon).toMatchObject({ kind: 'auth.logon', auth: { user: 'NT AUTHORITY\\SYSTEM', method: 'Service', sid: 'S-1-5-18' } });
    const accept = events.find((e) => e.kind === 'net.accept');
    expect(accept?.kind === 'net.accept' && accept.raw?.windows?.['Initiated']).toBe('false');
  });
});
