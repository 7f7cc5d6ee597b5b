import { Readable } from 'node:stream';
import { openSensor, ReplayBackend, type SensorStats } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { consume, statsLine } from './consume.js';
import { writeBatch } from './line-batch.js';

const recording = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({ kind: 'process.exec', time: 1_750_000_000_000 + i, seq: i + 1, platform: 'linux', source: 'linux-ebpf', process: { pid: 100 + (i % 3), ppid: 1, exe: '/bin/sh', args: ['sh'], cmdline: 'sh' } }),
  ).join('\n') + '\n';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

const numbers = (line: string) => {
  const m = /(\d+) received = (\d+) filtered \+ (\d+) delivered \+ (\d+) dropped \(queue full\) \+ (\d+) unsent/.exec(line);
  if (!m) throw new Error(`no stats in ${line}`);
  return m.slice(1).map(Number) as [number, number, number, number, number];
};

describe('consume', () => {
  it('a closed output (EPIPE from onEvent) is a quiet stop: no error, and the stats line adds up', async () => {
    const sensor = await openSensor({ backend: new ReplayBackend({ input: Readable.from([recording(2000)]), inputName: 'test' }), filter: { includeSelf: true, pids: [100, 101] } });
    const err = sink();
    let calls = 0;
    const result = await consume(sensor, {
      stderr: err.stream,
      parentPollMs: 0,
      onEvent: () => {
        if (++calls > 2) throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
      },
    });
    expect(result.error).toBeUndefined();
    expect(result.outputClosed).toBe(true);
    expect(result.written).toBe(2);
    const [received, filtered, delivered, queue, unsent] = numbers(err.text());
    expect(delivered).toBe(2);
    expect(filtered).toBeGreaterThan(0);
    expect(unsent).toBeGreaterThan(0);
    expect(filtered + delivered + queue + unsent).toBe(received);
  });

  it('another error from onEvent ends the stream and is returned', async () => {
    const sensor = await openSensor({ backend: new ReplayBackend({ input: Readable.from([recording(10)]), inputName: 'test' }), filter: { includeSelf: true } });
    const result = await consume(sensor, { stderr: sink().stream, parentPollMs: 0, onEvent: () => { throw new Error('disk full'); } });
    expect((result.error as Error).message).toBe('disk full');
    expect(result.outputClosed).toBe(false);
  });
});

describe('consume with onBatch', () => {
  it('writes whole batches in order; written counts the events handed to the output, and the stats add up', async () => {
    const sensor = await openSensor({ backend: new ReplayBackend({ input: Readable.from([recording(3000)]), inputName: 'test' }), filter: { includeSelf: true } });
    const err = sink();
    const out = sink();
    const sizes: number[] = [];
    const result = await consume(sensor, {
      stderr: err.stream,
      parentPollMs: 0,
      onBatch: async (events, handed) => {
        sizes.push(events.length);
        await writeBatch(out.stream, events, (e) => `${e.seq}\n`, { chunkBytes: 512, handed });
      },
    });
    expect(result.error).toBeUndefined();
    expect(result.written).toBe(3000);
    expect(sizes.length).toBeLessThan(3000);
    const seqs = out.text().trim().split('\n').map(Number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs).toHaveLength(3000);
    const [received, filtered, delivered, queue, unsent] = numbers(err.text());
    expect([received, filtered, delivered, queue, unsent]).toEqual([3000, 0, 3000, 0, 0]);
  });

  it('EPIPE in the middle of a batch: only the chunks handed before it count, the rest is unsent, and the stop is quiet', async () => {
    const sensor = await openSensor({ backend: new ReplayBackend({ input: Readable.from([recording(3000)]), inputName: 'test' }), filter: { includeSelf: true } });
    const err = sink();
    let writes = 0;
    const out = { writable: true, write: () => (++writes === 3 ? ((out.writable = false), true) : true) } as unknown as NodeJS.WritableStream & { writable: boolean };
    const result = await consume(sensor, {
      stderr: err.stream,
      parentPollMs: 0,
      onBatch: (events, handed) => writeBatch(out, events, (e) => `${e.seq}\n`, { chunkBytes: 200, handed }),
    });
    expect(result.error).toBeUndefined();
    expect(result.outputClosed).toBe(true);
    expect(writes).toBe(3);
    const [received, filtered, delivered, queue, unsent] = numbers(err.text());
    expect(delivered).toBe(result.written);
    expect(delivered).toBeGreaterThan(0);
    expect(unsent).toBeGreaterThan(0);
    expect(filtered + delivered + queue + unsent).toBe(received);
  });
});

describe('statsLine', () => {
  it('accounts for every received event, and lists drops before the sensor apart', () => {
    const s = { received: 14, filtered: 3, accepted: 11, delivered: 5, dispatched: 0, dropped: { kernel: 7, backend: 1, queue: 2 }, warnings: 0, queued: 4, backend: {} } as unknown as SensorStats;
    const line = statsLine(s, 1.25, 4);
    expect(line).toBe(
      'edrkit: 4 events delivered in 1.3s; 14 received = 3 filtered + 4 delivered + 2 dropped (queue full) + 5 unsent (output closed or stream ended first); dropped before the sensor: kernel 7, backend 1',
    );
  });
});
