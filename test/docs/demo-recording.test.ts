/**
 * The committed demo recording (examples/recordings/demo.jsonl) is in step with the current
 * event model and with what examples/recordings/README.md says it shows. Re-record it with
 * `npm run record:demo` (root) when this fails after a model or backend change.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent, type EdrEvent } from '@edrkit/core';
import { repoRoot } from './blocks.js';

const text = readFileSync(path.join(repoRoot, 'examples/recordings/demo.jsonl'), 'utf8');
const lines = text.split('\n').filter((l) => l.trim() !== '');

describe('examples/recordings/demo.jsonl', () => {
  const events: EdrEvent[] = lines.map((l) => parseEvent(JSON.parse(l)));

  it('every line is a valid event of the current model, numbered in order', () => {
    expect(events.length).toBeGreaterThan(20);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['linux-ebpf']));
  });

  it('has the kinds the recordings README promises', () => {
    const kinds = new Set(events.map((e) => e.kind));
    for (const k of ['process.exec', 'process.fork', 'process.exit', 'file.create', 'file.attr', 'file.rename', 'file.delete', 'net.listen', 'net.connect', 'dns.query'] as const) {
      expect(kinds, k).toContain(k);
    }
    const paths = events.flatMap((e) => ('file' in e ? [e.file.path] : []));
    expect(paths).toEqual(expect.arrayContaining(['/tmp/payload.sh', '/tmp/.hidden-payload.sh']));
    expect(events.find((e) => e.kind === 'dns.query')).toMatchObject({ dns: { query: 'updates.example.com' } });
    const execs = events.flatMap((e) => (e.kind === 'process.exec' ? [e.process.args[0]] : []));
    expect(execs).toEqual(expect.arrayContaining(['chmod', 'id', 'uname', 'hostname', 'mv', 'rm']));
  });

  it('carries what live events carry now: user names and lineage', () => {
    const withProcess = events.filter((e) => e.kind !== 'sensor.lost');
    expect(withProcess.filter((e) => 'process' in e && e.process.user === undefined)).toEqual([]);
    expect(withProcess.filter((e) => e.kind === 'process.exec' && !e.process.parent)).toEqual([]);
  });

  it('names no path of the checkout it was recorded in', () => {
    expect(text).not.toMatch(/"\/(work|home|root|usr\/src)\/[^"]*\/examples\/recordings\//);
  });
});
