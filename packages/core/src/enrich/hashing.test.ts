import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEvent } from '../events/parse.js';
import type { EdrEvent, EventDraft } from '../events/schema.js';
import { openSensor } from '../sensor/open-sensor.js';
import { MemoryBackend, execDraft } from '../testing/memory-backend.js';
import { FileHasher, entropyOf } from './file-hasher.js';

const dir = mkdtempSync(join(tmpdir(), 'edrkit-hash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hex = (alg: string, data: Buffer) => createHash(alg).update(data).digest('hex');
const proc = { pid: 7, ppid: 1, exe: '/bin/sh', args: ['sh'], cmdline: 'sh' };
const fileEvent = (kind: 'file.create' | 'file.modify', path: string): EventDraft => ({ kind, time: 1, platform: 'linux', source: 'linux-ebpf', process: proc, file: { path } });

async function run(drafts: EventDraft[], hashes: Parameters<typeof openSensor>[0]['hashes']): Promise<EdrEvent[]> {
  const backend = new MemoryBackend();
  const sensor = await openSensor({ backend, hashes, lifecycleEvents: false });
  backend.emit(drafts);
  backend.end();
  const got: EdrEvent[] = [];
  for await (const e of sensor) got.push(e);
  for (const e of got) expect(() => parseEvent(e)).not.toThrow();
  return got;
}

describe('hashing enrichment', () => {
  it('adds the asked-for hashes to exec, image.load and written files, with size, header and entropy', async () => {
    const data = Buffer.from('#!/bin/sh\necho hello\n');
    const script = join(dir, 'a.sh');
    writeFileSync(script, data);
    const got = await run(
      [
        execDraft(10, script),
        { kind: 'image.load', time: 1, platform: 'linux', source: 'linux-ebpf', process: proc, image: { path: script } },
        fileEvent('file.create', script),
        { kind: 'file.delete', time: 1, platform: 'linux', source: 'linux-ebpf', process: proc, file: { path: script } },
      ],
      { algorithms: ['md5', 'sha1', 'sha256'] },
    );
    const want = { md5: hex('md5', data), sha1: hex('sha1', data), sha256: hex('sha256', data) };
    const [exec, image, create, del] = got;
    expect(exec?.kind === 'process.exec' && exec.process.hashes).toEqual(want);
    expect(image?.kind === 'image.load' && image.image.hashes).toEqual(want);
    expect(create?.kind === 'file.create' && create.file).toEqual({
      path: script,
      hashes: want,
      size: data.length,
      header: data.subarray(0, 16).toString('hex'),
      entropy: entropyOf([...Array(256).keys()].map((b) => data.filter((x) => x === b).length), data.length),
    });
    expect(del?.kind === 'file.delete' && 'hashes' in del.file).toBe(false);
  });

  it('reads a file once per identity (cache), and again after it changes', async () => {
    const path = join(dir, 'b.bin');
    writeFileSync(path, 'one');
    const hasher = new FileHasher({ algorithms: ['sha256'] });
    const a = await hasher.facts(path);
    const b = await hasher.facts(path);
    expect(b).toEqual(a);
    expect(hasher.stats()).toMatchObject({ hashFiles: 1, hashCacheHits: 1 });
    writeFileSync(path, 'two, longer');
    expect((await hasher.facts(path)).hashes.sha256).toBe(hex('sha256', Buffer.from('two, longer')));
    expect(hasher.stats().hashFiles).toBe(2);
  });

  it('bounds bytes per file (partial) and files per second (rate limited)', async () => {
    const big = Buffer.alloc(300_000, 7);
    const path = join(dir, 'big.bin');
    writeFileSync(path, big);
    const hasher = new FileHasher({ maxBytes: 1000, maxFilesPerSecond: 2, facts: false });
    const f = await hasher.facts(path);
    expect(f.hashes).toEqual({ sha256: hex('sha256', big.subarray(0, 1000)), partial: true });
    expect(hasher.stats().hashBytes).toBe(1000);
    const others = ['c1', 'c2'].map((n) => (writeFileSync(join(dir, n), n), join(dir, n)));
    expect((await hasher.facts(others[0]!)).hashes.error).toBeUndefined();
    expect((await hasher.facts(others[1]!)).hashes.error).toMatch(/^rate limited \(more than 2 files per second\)$/);
    expect(hasher.stats().hashRateLimited).toBe(1);
  });

  it('never waits past the time bound: the event goes out with pending, the cache is filled for the next one', async () => {
    const path = join(dir, 'slow.bin');
    writeFileSync(path, Buffer.alloc(8 * 1024 * 1024, 1));
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, hashes: { timeoutMs: 0 }, lifecycleEvents: false });
    const it = sensor.events();
    backend.emit([execDraft(20, path)]);
    const first = (await it.next()).value as EdrEvent;
    expect(first.kind === 'process.exec' && first.process.hashes).toEqual({ pending: true });
    // The read goes on after the event went out; wait for it (not a timing assertion).
    for (let i = 0; i < 200 && sensor.stats().backend.hashFiles !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    backend.emit([execDraft(21, path)]);
    const second = (await it.next()).value as EdrEvent;
    expect(second.kind === 'process.exec' && second.process.hashes?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(sensor.stats().backend).toMatchObject({ hashFiles: 1, hashCacheHits: 1 });
    await sensor.close();
  });

  it('close() right after a push still delivers the waiting events, hashed', async () => {
    const path = join(dir, 'close.bin');
    writeFileSync(path, 'bytes');
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, hashes: {}, lifecycleEvents: false });
    const it = sensor.events();
    backend.emit([execDraft(30, path), execDraft(31, path)]);
    await sensor.close();
    const got: EdrEvent[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) got.push(r.value);
    expect(got.map((e) => e.kind === 'process.exec' && e.process.hashes?.sha256)).toEqual([hex('sha256', Buffer.from('bytes')), hex('sha256', Buffer.from('bytes'))]);
  });

  it('keeps event order and names unreadable files (missing, FIFO, memfd paths) without failing', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const got = await run(
      [execDraft(1, join(dir, 'missing')), fileEvent('file.modify', fifo), fileEvent('file.create', '/memfd:payload'), execDraft(2, '')],
      {},
    );
    expect(got.map((e) => (e.kind === 'sensor.lost' ? 0 : e.process.pid))).toEqual([1, 7, 7, 2]);
    expect(got[0]?.kind === 'process.exec' && got[0].process.hashes).toEqual({ error: 'cannot open: ENOENT' });
    expect(got[1]?.kind === 'file.modify' && got[1].file.hashes).toEqual({ error: 'not a regular file' });
    expect(got[2]?.kind === 'file.create' && got[2].file.hashes?.error).toBe('cannot open: ENOENT');
    expect(got[3]?.kind === 'process.exec' && got[3].process.hashes).toBeUndefined();
  });

  it('rejects bad options by name, and leaves replayed recordings alone', async () => {
    await expect(openSensor({ backend: new MemoryBackend(), hashes: { algorithms: ['crc32' as never] } })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message: /hashes\.algorithms must be a non-empty list of md5, sha1, sha256/,
    });
    await expect(openSensor({ backend: new MemoryBackend(), hashes: { maxBytes: 0 } })).rejects.toThrow(/hashes\.maxBytes must be an integer/);
    const replaying = Object.assign(new MemoryBackend(), { replaysRecordedEvents: true });
    const sensor = await openSensor({ backend: replaying, hashes: {} });
    expect(sensor.backend).toBe(replaying);
    await sensor.close();
  });
});

describe('entropyOf', () => {
  it('is 0 for one repeated byte, 8 for a uniform histogram, and always within 0..8', async () => {
    const fc = (await import('fast-check')).default;
    expect(entropyOf(new Uint32Array(256).fill(0).map((_, i) => (i === 65 ? 10 : 0)), 10)).toBe(0);
    expect(entropyOf(new Uint32Array(256).fill(4), 1024)).toBe(8);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const counts = new Uint32Array(256);
        for (const b of bytes) counts[b]!++;
        const h = entropyOf(counts, bytes.length);
        return h >= 0 && h <= 8 && Number.isFinite(h);
      }),
    );
  });
});
