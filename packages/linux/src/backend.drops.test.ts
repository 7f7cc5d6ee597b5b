// Kernel drop counting against the fake addon (no root): the addon hands over a cumulative
// per-CPU drop count with each batch; the backend reports each increase once.
import { describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { execRecord, fakeLinuxOs } from './testing/index.js';

// Pids above the kernel's pid_max (2^22): never a real process.
const exec = (pid: number) => execRecord({ pid, ppid: 1, tsNs: 1e9, startNs: 5e8, comm: 'true' }, { exe: { raw: '/usr/bin/true' }, args: ['true'] });

async function fakeSensor() {
  const os = fakeLinuxOs();
  const backend = new LinuxEbpfBackend({}, os);
  const sensor = await openSensor({ backend, kinds: ['process.exec'] });
  const seen: EdrEvent[] = [];
  sensor.on('*', (e) => seen.push(e));
  return { os, backend, sensor, seen };
}

describe('linux-ebpf drop counting (fake addon)', () => {
  it('turns each rise of the kernel drop counter into one sensor.lost with the increase, and counts it in stats', async () => {
    const { os, backend, sensor, seen } = await fakeSensor();
    os.addon.emit([exec(5_000_001)], { drops: 3 });
    os.addon.drop(2); // an empty batch: the poll thread sends one when only the counter moved
    os.addon.emit([exec(5_000_002)]); // the same cumulative count again: nothing new lost
    await new Promise((r) => setImmediate(r));
    const lost = seen.filter((e) => e.kind === 'sensor.lost');
    expect(lost.map((e) => e.kind === 'sensor.lost' && e.lost)).toEqual([
      { count: 3, stage: 'kernel', reason: expect.stringMatching(/kernel ring buffer full \(raise backendOptions\.ringBufferBytes\)/) },
      { count: 2, stage: 'kernel', reason: expect.stringMatching(/kernel ring buffer full/) },
    ]);
    expect(seen.filter((e) => e.kind === 'process.exec').map((e) => e.process.pid)).toEqual([5_000_001, 5_000_002]);
    const stats = sensor.stats();
    expect(stats.dropped.kernel).toBe(5);
    expect(stats.backend).toMatchObject({ lost: 5, batches: 3, received: 2, events: 2 });
    await sensor.close();
    expect(backend.stats().lost).toBe(5);
  });

  it('reports drops that arrive in the same batch as the records after those records', async () => {
    const { os, sensor, seen } = await fakeSensor();
    os.addon.emit([exec(5_000_003), exec(5_000_004)], { drops: 7 });
    await new Promise((r) => setImmediate(r));
    expect(seen.map((e) => e.kind)).toEqual(['process.exec', 'process.exec', 'sensor.lost']);
    await sensor.close();
  });
});
