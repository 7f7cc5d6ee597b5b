import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { EdrEvent } from '@edrkit/core';
import { toECS } from '@edrkit/export';
import { FileSink } from './file-sink.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'edrkit-filesink-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const exec = (seq: number): EdrEvent => ({ kind: 'process.exec', time: 1_700_000_000_000 + seq, seq, platform: 'linux', source: 'linux-ebpf', process: { pid: seq, ppid: 1, exe: '/bin/true', args: ['true'], cmdline: 'true' } });
const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);

describe('FileSink', () => {
  it('writes JSON Lines and rotates by size, keeping every event once across the files', async () => {
    const dir = tempDir();
    const path = join(dir, 'events.jsonl');
    const sink = await FileSink.open({ path, maxBytes: 1000 });
    for (let i = 1; i <= 30; i++) await sink.write([exec(i)]);
    await sink.close();
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(2);
    expect(files.filter((f) => f !== 'events.jsonl').every((f) => /^events\.jsonl\.\d{8}T\d{6}\.\d{3}Z(\.\d+)?$/.test(f))).toBe(true);
    const all = files.flatMap((f) => lines(join(dir, f)) as EdrEvent[]).map((e) => e.seq).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(sink.stats()).toMatchObject({ written: 30, delivered: 30, lost: 0 });
    expect(sink.stats().rotations).toBe(files.length - 1);
  });

  it('rotates by age and writes ECS when asked', async () => {
    const dir = tempDir();
    const path = join(dir, 'ecs.jsonl');
    const sink = await FileSink.open({ path, format: 'ecs', maxAgeMs: 50 });
    await sink.write([exec(1)]);
    await sleep(80);
    await sink.write([exec(2)]);
    await sink.close();
    expect(readdirSync(dir)).toHaveLength(2);
    expect(lines(path)).toEqual([JSON.parse(JSON.stringify(toECS(exec(2))))]);
  });

  it('names the file when it cannot open it, and rejects bad options', async () => {
    await expect(FileSink.open({ path: '/proc/edrkit-no-such/x.jsonl' })).rejects.toMatchObject({ code: 'ERR_OUTPUT_IO', message: expect.stringContaining('/proc/edrkit-no-such/x.jsonl') });
    await expect(FileSink.open({ path: join(tempDir(), 'x'), maxBytes: -1 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
  });
});
