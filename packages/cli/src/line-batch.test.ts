import { Writable } from 'node:stream';
import type { EdrEvent } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { writeBatch } from './line-batch.js';

const event = (i: number) => ({ kind: 'process.exec', time: 1_750_000_000_000 + i, seq: i + 1, platform: 'linux', source: 'linux-ebpf', process: { pid: 100 + i, ppid: 1, exe: '/bin/sh', args: ['sh'], cmdline: 'sh' } }) as unknown as EdrEvent;
const events = (n: number) => Array.from({ length: n }, (_, i) => event(i));
const json = (e: EdrEvent) => `${JSON.stringify(e)}\n`;

/** A writable that takes each chunk only after a turn of the event loop, with a small buffer. */
function slowWritable(options: { failAt?: number } = {}) {
  const chunks: string[] = [];
  let writesWhileFull = 0;
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, cb) {
      if (options.failAt !== undefined && chunks.length === options.failAt) {
        setImmediate(() => cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
        return;
      }
      chunks.push(chunk.toString());
      setImmediate(cb);
    },
  });
  const write = out.write.bind(out);
  out.write = ((chunk: string) => {
    if (out.writableNeedDrain) writesWhileFull++;
    return write(chunk);
  }) as typeof out.write;
  out.on('error', () => {});
  return { out, chunks, writesWhileFull: () => writesWhileFull };
}

describe('writeBatch', () => {
  it('joins lines into chunks of about chunkBytes, in order, one write each', async () => {
    const writes: string[] = [];
    const out = { write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WritableStream;
    const batch = events(100);
    const handed: number[] = [];
    await writeBatch(out, batch, json, { chunkBytes: 2000, handed: (done) => handed.push(done.length) });
    expect(writes.join('')).toBe(batch.map(json).join(''));
    expect(writes.length).toBeLessThan(batch.length / 5);
    for (const w of writes.slice(0, -1)) expect(w.length).toBeGreaterThanOrEqual(2000);
    expect(handed.reduce((a, b) => a + b, 0)).toBe(100);
    expect(handed).toHaveLength(writes.length);
  });

  it('a whole batch below the chunk size is one write; no events, no write', async () => {
    const writes: string[] = [];
    const out = { write: (s: string) => (writes.push(s), true) } as unknown as NodeJS.WritableStream;
    await writeBatch(out, events(10), json);
    expect(writes).toHaveLength(1);
    await writeBatch(out, [], json);
    expect(writes).toHaveLength(1);
  });

  it('waits for drain when write() returns false: a slow output never gets a write while full, and gets every line in order', async () => {
    const slow = slowWritable();
    const batch = events(500);
    await writeBatch(slow.out, batch, json, { chunkBytes: 4096 });
    await new Promise<void>((r) => slow.out.end(r));
    expect(slow.writesWhileFull()).toBe(0);
    expect(slow.chunks.join('')).toBe(batch.map(json).join(''));
  });

  it('EPIPE mid-batch: the chunks before count as handed, the failing one and the rest do not, and EPIPE is thrown', async () => {
    const slow = slowWritable({ failAt: 2 });
    const batch = events(200);
    const handed: EdrEvent[] = [];
    const err = await writeBatch(slow.out, batch, json, { chunkBytes: 2048, handed: (done) => handed.push(...done) }).catch((e: unknown) => e);
    expect((err as NodeJS.ErrnoException).code).toBe('EPIPE');
    expect(slow.chunks).toHaveLength(2);
    expect(handed.map(json).join('')).toBe(slow.chunks.join(''));
    expect(handed.length).toBeGreaterThan(0);
    expect(handed.length).toBeLessThan(batch.length);
    // Once the stream is closed, nothing more is written and the next batch fails at once.
    await expect(writeBatch(slow.out, events(3), json)).rejects.toMatchObject({ code: 'EPIPE' });
    expect(slow.chunks).toHaveLength(2);
  });
});
