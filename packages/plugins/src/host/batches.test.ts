import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EdrEvent } from '@edrkit/core';
import { batches } from './batches.js';

const ev = (seq: number) => ({ kind: 'sensor.lost', time: 0, seq, platform: 'linux', source: 'replay', lost: { count: 1, reason: 'x' } }) as EdrEvent;

async function collect(source: AsyncIterable<EdrEvent> | Iterable<EdrEvent>, batchSize: number, maxDelayMs = 50) {
  const out: number[][] = [];
  for await (const b of batches(source, { batchSize, maxDelayMs })) out.push(b.map((e) => e.seq));
  return out;
}

describe('batches', () => {
  it('splits by size and keeps every event in order (sync and async sources)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 64 }), async (n, size) => {
        const events = Array.from({ length: n }, (_, i) => ev(i + 1));
        async function* gen() {
          yield* events;
        }
        for (const source of [events, gen()]) {
          const out = await collect(source, size);
          expect(out.flat()).toEqual(events.map((e) => e.seq));
          expect(out.every((b) => b.length >= 1 && b.length <= size)).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('sends a partial batch after maxDelayMs when the stream goes quiet (live streams)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* quiet() {
      yield ev(1);
      yield ev(2);
      await gate; // the stream pauses, as a live sensor does
      yield ev(3);
    }
    const seen: number[][] = [];
    const started = Date.now();
    for await (const b of batches(quiet(), { batchSize: 100, maxDelayMs: 30 })) {
      seen.push(b.map((e) => e.seq));
      if (seen.length === 1) {
        expect(Date.now() - started).toBeLessThan(5000); // came by the deadline, not at the end
        release();
      }
    }
    expect(seen).toEqual([[1, 2], [3]]);
  });

  it('stops at abort and closes the source', async () => {
    const ac = new AbortController();
    let closed = false;
    async function* endless() {
      try {
        for (let i = 1; ; i++) yield ev(i);
      } finally {
        closed = true;
      }
    }
    let count = 0;
    for await (const b of batches(endless(), { batchSize: 10, maxDelayMs: 10, signal: ac.signal })) {
      count += b.length;
      if (count >= 30) ac.abort();
    }
    expect(count).toBe(30);
    expect(closed).toBe(true);
  });
});
