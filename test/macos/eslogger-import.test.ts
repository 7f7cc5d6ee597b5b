// The eslogger import format through the replay backend: kinds, lineage (ParentImage), loss
// from sequence gaps, --on-invalid; and SigmaHQ's macOS rules resolve their fields on it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSensor, ReplayBackend, type EdrEvent } from '@edrkit/core';
import { esloggerImportFormat } from '@edrkit/macos';
import { loadRules, RuleSet } from '@edrkit/sigma';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusLabel, haveCorpus } from '../corpus.js';
import { CAPTURE, captureText } from './capture.js';

const dir = mkdtempSync(path.join(tmpdir(), 'edrkit-eslogger-'));

async function replay(text: string, onInvalid: 'skip' | 'fail' = 'fail'): Promise<EdrEvent[]> {
  const file = path.join(dir, `cap-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, text);
  const sensor = await openSensor({ backend: new ReplayBackend({ path: file, format: esloggerImportFormat, onInvalid }) });
  const out: EdrEvent[] = [];
  for await (const e of sensor) out.push(e);
  return out;
}

describe('eslogger import', () => {
  it('maps a capture, with lineage from the processes it saw', async () => {
    const events = await replay(captureText());
    expect(events.map((e) => e.kind)).toEqual(['process.exec', 'process.fork', 'process.exec', 'file.create', 'service.create', 'process.exit']);
    const exec = events[2] as Extract<EdrEvent, { kind: 'process.exec' }>;
    expect(exec.process).toMatchObject({ pid: 501, exe: '/usr/bin/base64', cmdline: 'base64 -d -i /tmp/payload', parent: { pid: 500, exe: '/bin/zsh', cmdline: '-zsh' } });
    expect(exec.process.signer).toEqual({ id: 'com.apple.base64', platformBinary: true, cdhash: 'abcdef0123456789abcdef0123456789abcdef01' });
    expect(events[3]).toMatchObject({ kind: 'file.create', file: { path: '/Library/LaunchDaemons/com.evil.plist' }, process: { exe: '/usr/bin/base64', args: ['base64', '-d', '-i', '/tmp/payload'] } });
  });

  it('sequence gaps become sensor.lost; a bad line is skipped or fails the replay', async () => {
    const gappy = captureText([CAPTURE[0]!, { ...CAPTURE[1]!, global_seq_num: 9 }]);
    const events = await replay(gappy);
    expect(events.map((e) => e.kind)).toEqual(['process.exec', 'sensor.lost', 'process.fork']);
    expect(events[1]).toMatchObject({ lost: { count: 7, stage: 'backend', reason: expect.stringContaining('global_seq_num 1 → 9') } });

    const bad = `${captureText([CAPTURE[0]!])}{"event":{"unlink":{}},"process":{}}\n${captureText([CAPTURE[1]!])}`;
    const skipped = await replay(bad, 'skip');
    expect(skipped.map((e) => e.kind)).toEqual(['process.exec', 'sensor.lost', 'process.fork']);
    await expect(replay(bad, 'fail')).rejects.toMatchObject({ code: 'ERR_INVALID_EVENT', message: expect.stringMatching(/line 2: invalid event: eslogger record 2: time: missing \(expected a string\)/) });
  });

  it('examples/recordings/eslogger-sample.jsonl (used by docs/macos.md) is this capture', () => {
    expect(readFileSync(path.resolve(import.meta.dirname, '../../examples/recordings/eslogger-sample.jsonl'), 'utf8')).toBe(captureText());
  });

  it.skipIf(!haveCorpus('sigma'))(corpusLabel('SigmaHQ macOS rules match imported eslogger events', 'sigma'), async () => {
    const rules = new RuleSet(await loadRules([path.join(CORPUS_DIR, 'sigma/rules/macos')]));
    const events = await replay(captureText());
    const fired = events.flatMap((e) => rules.match(e).map((r) => `${e.kind} ${r.title}`));
    expect(fired).toContain('process.exec Decode Base64 Encoded Text -MacOs');
  });
});
