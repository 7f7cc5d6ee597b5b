// Process details from /proc through the host's procRoot (a fake /proc in a temp dir, no
// root): cache misses during events, and lineage lookups before start, on the addon's clock.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { exitRecord, FAKE_CLOCK_OFFSET_NS, fakeLinuxHost, FakeLinuxAddon } from './testing/index.js';

const PID = 5_000_050;
const START_TICKS = 123_456; // /proc/<pid>/stat field 22, in USER_HZ (100) ticks: 1234.56 s after boot

/** A /proc with one process, as readProc() reads it. */
function fakeProc(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'edrkit-fake-proc-'));
  const dir = path.join(root, String(PID));
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'status'), 'Name:\tdaemon\nPPid:\t1\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n');
  writeFileSync(path.join(dir, 'cmdline'), 'daemon\0--fg\0');
  const fields = Array.from({ length: 50 }, () => '0');
  fields[18] = String(START_TICKS); // field 22 (after pid, comm, state)
  writeFileSync(path.join(dir, 'stat'), `${PID} (daemon) S ${fields.join(' ')}\n`);
  symlinkSync('/usr/sbin/daemon', path.join(dir, 'exe'));
  return root;
}

const startMs = (offsetNs: number) => (START_TICKS * 1e7 + offsetNs) / 1e6;

describe('linux-ebpf /proc reads (fake host procRoot)', () => {
  it('a record of a process started before the sensor gets its details from the host /proc', async () => {
    const addon = new FakeLinuxAddon();
    const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, { addon, host: fakeLinuxHost({ procRoot: fakeProc() }) }), kinds: ['process.exit'] });
    const seen: EdrEvent[] = [];
    sensor.on('process.exit', (e) => seen.push(e));
    addon.emit([exitRecord({ pid: PID, ppid: 1, tsNs: 2e12, comm: 'daemon' }, 0)]);
    await sensor.close();
    const [exit] = seen;
    expect(exit?.kind === 'process.exit' && exit.process).toMatchObject({ pid: PID, exe: '/usr/sbin/daemon', args: ['daemon', '--fg'], startTime: startMs(FAKE_CLOCK_OFFSET_NS) });
  });

  it('lookupProcess before start converts the start time with the addon clock, not from 1970', () => {
    const addon = new FakeLinuxAddon();
    const backend = new LinuxEbpfBackend({}, { addon, host: fakeLinuxHost({ procRoot: fakeProc() }) });
    expect(backend.lookupProcess(PID)).toEqual({ pid: PID, exe: '/usr/sbin/daemon', cmdline: 'daemon --fg', startTime: startMs(FAKE_CLOCK_OFFSET_NS) });
    const noAddon = new LinuxEbpfBackend({}, { addon: () => { throw new Error('no addon'); }, host: fakeLinuxHost({ procRoot: fakeProc() }) });
    expect(noAddon.lookupProcess(PID)).toEqual({ pid: PID, exe: '/usr/sbin/daemon', cmdline: 'daemon --fg' }); // left out, not wrong
  });
});
