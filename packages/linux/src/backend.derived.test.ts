// Part B kinds through the backend and the fake addon (no root): which kernel signals and
// program groups a derived kind turns on, the watched directory inodes handed to the kernel,
// and script.content from exec records and readline lines.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { KIND_BIT, LAYOUT, REC, SIGNAL_BIT } from './decode/layout.js';
import { execRecord, fakeLinuxOs } from './testing/index.js';

const PROC = KIND_BIT['process.exec'] | KIND_BIT['process.fork'] | KIND_BIT['process.exit'];

/** A readline line record (type 17), built from the layout. */
function lineRecord(pid: number, line: string): Uint8Array {
  const body = Buffer.from(line);
  const size = LAYOUT.edrkit_line_rec + body.length;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  v.setUint16(LAYOUT['edrkit_hdr.type'], REC.SHELL_LINE, true);
  v.setUint16(LAYOUT['edrkit_hdr.abi'], 3, true);
  v.setUint32(LAYOUT['edrkit_hdr.size'], size, true);
  v.setUint32(LAYOUT['edrkit_hdr.pid'], pid, true);
  v.setUint32(LAYOUT['edrkit_line_rec.len'], body.length, true);
  b.set(body, LAYOUT.edrkit_line_rec);
  return b;
}

describe('linux-ebpf part B configuration (fake addon)', () => {
  it('a derived kind loads the close-after-write group, sets its signal bit and hands over the watched directories', async () => {
    const os = fakeLinuxOs();
    const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['account.create', 'task.create'] });
    const o = os.addon.current.options;
    expect(o.kinds).toBe(PROC | SIGNAL_BIT.CLOSE_WRITE);
    expect(o.disable).not.toContain('edrkit_cw_');
    expect(o.disable).toContain('edrkit_rl_');
    expect(o.watchDirInodes).toContain(statSync('/etc').ino);
    await sensor.close();
  });

  it('the libpam and bash probes attach where this distribution keeps the files, and are not loaded where it has none', async () => {
    const fedora = fakeLinuxOs({ files: ['/usr/lib64/libpam.so.0', '/bin/bash'] });
    const s1 = await openSensor({ backend: new LinuxEbpfBackend({}, fedora), kinds: ['auth.logon', 'script.content'] });
    expect(fedora.addon.current.options.uprobeTargets).toEqual([
      { prefix: 'edrkit_pam_', path: '/usr/lib64/libpam.so.0' },
      { prefix: 'edrkit_rl_', path: '/bin/bash' },
    ]);
    expect(fedora.addon.current.options.disable).not.toContain('edrkit_pam_');
    await s1.close();
    const bare = fakeLinuxOs({ files: [] });
    const s2 = await openSensor({ backend: new LinuxEbpfBackend({}, bare), kinds: ['auth.logon', 'script.content'] });
    expect(bare.addon.current.options.uprobeTargets).toEqual([]);
    expect(bare.addon.current.options.disable).toEqual(expect.arrayContaining(['edrkit_pam_', 'edrkit_rl_']));
    expect(s2.capabilities.kinds['auth.logon']).toMatchObject({ supported: true, note: expect.stringMatching(/wtmp/) });
    await s2.close();
  });

  it('script.content: inline code from an exec record, and a line bash read with readline', async () => {
    const os = fakeLinuxOs();
    const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['script.content'] });
    expect(os.addon.current.options.kinds).toBe(PROC | SIGNAL_BIT.SHELL_LINE);
    expect(os.addon.current.options.disable).not.toContain('edrkit_rl_');
    expect(os.addon.current.options.watchDirInodes).toBeUndefined();
    const events: EdrEvent[] = [];
    sensor.on('script.content', (e) => void events.push(e));
    os.addon.emit([execRecord({ pid: 5_000_001, tsNs: 1e9 }, { exe: { raw: '/usr/bin/perl' }, args: ['perl', '-e', 'print 42'] }), lineRecord(5_000_002, 'curl x | sh')]);
    await sensor.close();
    expect(events.map((e) => e.kind === 'script.content' && [e.process.pid, e.script])).toEqual([
      [5_000_001, { interpreter: 'perl', content: 'print 42', truncated: false }],
      [5_000_002, { interpreter: 'bash', content: 'curl x | sh', truncated: false }],
    ]);
  });
});
