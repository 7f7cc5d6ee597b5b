// process.credentials through the backend and the fake addon (no root): the kind bit and the
// edrkit_creds_ program group given to open(), the event delivered through a sensor, and the
// probe's support following the tracepoints the kernel has.
import { describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { KIND_BIT } from './decode/layout.js';
import { kindSupport } from './probe.js';
import { credsRecord, execRecord, fakeLinuxOs } from './testing/index.js';

describe('linux-ebpf process.credentials (fake addon)', () => {
  it('asks the kernel for the kind and loads the creds programs only then', async () => {
    const os = fakeLinuxOs({ pid: 777 });
    const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['process.credentials'] });
    const o = os.addon.current.options;
    expect(o.kinds & KIND_BIT['process.credentials']).toBe(1 << 19);
    expect(o.disable).not.toContain('edrkit_creds_');
    await sensor.close();
    const os2 = fakeLinuxOs();
    const other = await openSensor({ backend: new LinuxEbpfBackend({}, os2), kinds: ['process.exec'] });
    expect(os2.addon.current.options.disable).toContain('edrkit_creds_');
    expect(os2.addon.current.options.kinds & KIND_BIT['process.credentials']).toBe(0);
    await other.close();
  });

  it('delivers a kernel record as process.credentials', async () => {
    const os = fakeLinuxOs();
    const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['process.credentials'] });
    const seen: EdrEvent[] = [];
    sensor.on('process.credentials', (e) => seen.push(e));
    const h = { pid: 5_000_070, ppid: 1, tsNs: 2e9, startNs: 1e9, comm: 'su', uid: 0 };
    os.addon.emit([
      execRecord({ ...h, uid: 1000 }, { exe: { raw: '/usr/bin/su' }, args: ['su', '-'] }),
      credsRecord(h, { operation: 'setuid', before: { uid: 1000, euid: 0, suid: 0, fsuid: 0, gid: 1000, egid: 1000, sgid: 1000, fsgid: 1000 }, after: { gid: 1000, egid: 1000, sgid: 1000, fsgid: 1000 } }),
    ]);
    await new Promise((r) => setImmediate(r));
    await sensor.close();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ kind: 'process.credentials', process: { pid: 5_000_070, exe: '/usr/bin/su', uid: 0 }, credentials: { operation: 'setuid', before: { uid: 1000, euid: 0 }, after: { uid: 0, euid: 0 } } });
  });

  it('is unsupported, naming the tracepoint, when the kernel lacks one of the family; and without tracefs', () => {
    expect(kindSupport(true, 'missing', () => true)['process.credentials']).toMatchObject({ supported: true });
    const noCapset = kindSupport(true, 'missing', (p) => !p.endsWith('sys_enter_capset'));
    expect(noCapset['process.credentials']).toEqual({ supported: false, reason: 'this kernel has no sys_enter_capset tracepoint' });
    expect(kindSupport(false, 'missing', () => true)['process.credentials']).toMatchObject({ supported: false, reason: expect.stringMatching(/tracefs is not mounted/) });
  });
});
