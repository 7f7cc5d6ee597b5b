// Clock conversion against the fake addon (no root): records carry CLOCK_BOOTTIME ns; the
// backend adds the addon's CLOCK_REALTIME − CLOCK_BOOTTIME offset, read again for each batch.
import { describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { execRecord, exitRecord, FAKE_CLOCK_OFFSET_NS, fakeLinuxOs } from './testing/index.js';

/** Exact epoch ms of boot ns + offset ns, floored to the microsecond (BigInt: no rounding). */
const epochMs = (bootNs: number, offsetNs: number) => Number((BigInt(bootNs) + BigInt(offsetNs)) / 1000n) / 1000;

async function fakeSensor() {
  const os = fakeLinuxOs();
  const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['process.exec', 'process.exit'] });
  const seen: EdrEvent[] = [];
  sensor.on('*', (e) => seen.push(e));
  return { os, sensor, seen };
}

describe('linux-ebpf clock conversion (fake addon)', () => {
  it('converts boot-time ns to epoch ms with microsecond resolution, for time and startTime', async () => {
    const { os, sensor, seen } = await fakeSensor();
    const offset = FAKE_CLOCK_OFFSET_NS + 987_654_321; // not a whole ms
    os.addon.clockOffset = offset;
    const tsNs = 3_600_123_456_789; // an hour and a bit after boot, sub-microsecond digits
    const startNs = 1_000_000_250_000;
    os.addon.emit([execRecord({ pid: 5_000_010, ppid: 1, tsNs, startNs, comm: 'sh' }, { exe: { raw: '/bin/sh' }, args: ['sh'] })]);
    await sensor.close();
    const exec = seen.find((e) => e.kind === 'process.exec');
    expect(Math.abs(exec!.time - epochMs(tsNs, offset))).toBeLessThan(1e-3);
    expect(Math.abs(exec!.process.startTime! - epochMs(startNs, offset))).toBeLessThan(1e-3);
    expect(exec!.time % 1).not.toBe(0); // fractional ms, not truncated to the millisecond
    expect(new Date(exec!.time).toISOString()).toBe('2026-01-01T01:00:01.111Z');
  });

  it('reads the offset again for each batch, so an NTP or settimeofday step is followed', async () => {
    const { os, sensor, seen } = await fakeSensor();
    const h = { pid: 5_000_011, ppid: 1, tsNs: 2e9, startNs: 1e9, comm: 'sh' };
    os.addon.emit([execRecord(h, { exe: { raw: '/bin/sh' } })]);
    const reads = os.addon.clockReads;
    os.addon.clockOffset += 2_000_000_000; // the wall clock jumped 2 s forward
    os.addon.emit([exitRecord({ ...h, tsNs: 3e9 }, 0)]);
    await sensor.close();
    expect(os.addon.clockReads).toBeGreaterThan(reads);
    const [exec, exit] = seen.filter((e) => e.kind === 'process.exec' || e.kind === 'process.exit');
    expect(exec!.time).toBe(epochMs(2e9, FAKE_CLOCK_OFFSET_NS));
    expect(exit!.time - exec!.time).toBeCloseTo(3000, 6); // 1 s of boot time + the 2 s step
  });
});
