import { describe, expect, it } from 'vitest';
import type { EventSink } from '../backend.js';
import type { EdrEvent, EventDraft } from '../events/schema.js';
import { MemoryBackend, execDraft } from '../testing/memory-backend.js';
import { openSensor } from './open-sensor.js';

const drafts = (n: number, start = 0): EventDraft[] => Array.from({ length: n }, (_, i) => execDraft(1000 + start + i, `/usr/bin/t${start + i}`));
const pids = (events: EdrEvent[]) => events.flatMap((e) => (e.kind === 'process.exec' ? [e.process.pid] : []));

describe('Sensor.batches', () => {
  it('hands over everything already queued in one step, in order, and counts it as delivered', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, lifecycleEvents: false });
    backend.emit(drafts(5));
    backend.emit(drafts(3, 5));
    const it = sensor.batches();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(pids(first.value as EdrEvent[])).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007]);
    expect(sensor.stats().delivered).toBe(8);
    expect(sensor.stats().queued).toBe(0);
    backend.emit(drafts(2, 8));
    backend.end();
    const rest: EdrEvent[][] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest.map(pids)).toEqual([[1008, 1009]]);
  });

  it('maxBatch bounds a step; the remainder follows in the next one', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, lifecycleEvents: false });
    backend.emit(drafts(7));
    backend.end();
    const sizes: number[] = [];
    const all: number[] = [];
    for await (const batch of sensor.batches({ maxBatch: 3 })) {
      sizes.push(batch.length);
      all.push(...pids(batch));
    }
    expect(sizes).toEqual([3, 3, 1]);
    expect(all).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006]);
  });

  it('a backend error ends the iteration after the queued events, with that error', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, lifecycleEvents: false });
    backend.emit(drafts(4));
    (backend as unknown as { sink: EventSink }).sink.error(new Error('poll failed'));
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const batch of sensor.batches()) seen.push(...pids(batch));
      })(),
    ).rejects.toThrow('poll failed');
    expect(seen).toEqual([1000, 1001, 1002, 1003]);
  });

  it('breaking out detaches the consumer; a bad maxBatch is refused', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, lifecycleEvents: false });
    backend.emit(drafts(3));
    for await (const batch of sensor.batches()) {
      expect(batch).toHaveLength(3);
      break;
    }
    backend.emit(drafts(3, 3));
    expect(sensor.stats().queued).toBe(0);
    await expect(sensor.batches({ maxBatch: 0 }).next()).rejects.toThrow(RangeError);
  });
});
