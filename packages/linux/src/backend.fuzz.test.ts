// The backend's batch handling fuzzed against the fake addon (no root): whatever bytes and
// drop counts the addon hands over, nothing throws or ends the stream, every drop is reported
// exactly once, and every event delivered is schema-valid.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openSensor, parseEvent, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { batch, execRecord, exitRecord, fakeLinuxOs } from './testing/index.js';

const good = (pid: number) => execRecord({ pid, ppid: 1, tsNs: 1e9, comm: 'sh' }, { exe: { raw: '/bin/sh' }, args: ['sh'] });

// One delivery: valid records, random bytes, or a valid batch with a byte flipped, plus drops.
const delivery = fc.record({
  bytes: fc.oneof(
    fc.array(fc.integer({ min: 5_000_000, max: 5_000_100 }), { maxLength: 4 }).map((pids) => batch(pids.flatMap((p) => [good(p), exitRecord({ pid: p, tsNs: 2e9 }, 0)]))),
    fc.uint8Array({ maxLength: 600 }),
    fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, v]) => {
      const b = batch([good(5_000_200), good(5_000_201)]);
      b[at % b.length] = v;
      return b;
    }),
  ),
  drops: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 })),
});

describe('linux-ebpf batch handling (fuzzed, fake addon)', () => {
  it('never throws or ends the stream; lost equals the drops handed over; every event passes the schema', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(delivery, { maxLength: 12 }), async (deliveries) => {
        const os = fakeLinuxOs();
        const backend = new LinuxEbpfBackend({}, os);
        const sensor = await openSensor({ backend, kinds: ['process.exec', 'process.exit'] });
        const seen: EdrEvent[] = [];
        sensor.on('*', (e) => seen.push(e));
        for (const d of deliveries) os.addon.emit(d.bytes, { drops: d.drops });
        await new Promise((r) => setImmediate(r));
        const total = deliveries.reduce((n, d) => n + d.drops, 0);
        const stats = backend.stats();
        expect(stats.lost).toBe(total);
        expect(seen.filter((e) => e.kind === 'sensor.lost').reduce((n, e) => n + (e.kind === 'sensor.lost' ? e.lost.count : 0), 0)).toBe(total);
        expect(stats.batches).toBe(deliveries.length);
        expect(stats.received).toBeGreaterThanOrEqual(stats.malformed ?? 0);
        for (const e of seen) parseEvent(e);
        expect(sensor.error).toBeUndefined();
        await sensor.close();
        expect(os.addon.current.closeCalls).toBe(1);
      }),
      { numRuns: 150 },
    );
  });
});
