// What start() hands the addon's open() (the kernel-side configuration), checked against the
// fake addon without root: kind bits, program groups left unloaded, ring size, BPF object and
// the in-kernel filters, with the embedding process excluded unless includeSelf.
import { describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { DEFAULT_RING_BYTES, LinuxEbpfBackend } from './backend.js';
import { FILE_OP, FILTER_FLAG, KIND_BIT } from './decode/layout.js';
import { execRecord, fakeLinuxOs, fileRecord } from './testing/index.js';

const PROC = KIND_BIT['process.exec'] | KIND_BIT['process.fork'] | KIND_BIT['process.exit'];

describe('linux-ebpf kernel configuration (fake addon)', () => {
  it('always loads the process programs (the cache needs them) and leaves unrequested groups unloaded', async () => {
    const os = fakeLinuxOs({ pid: 777 });
    const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['net.connect'] });
    const o = os.addon.current.options;
    expect(o.kinds).toBe(PROC | KIND_BIT['net.connect']);
    expect(o.disable.sort()).toEqual(['edrkit_access_', 'edrkit_bpf_', 'edrkit_creds_', 'edrkit_cw_', 'edrkit_dns_', 'edrkit_file_', 'edrkit_image_', 'edrkit_kmod_', 'edrkit_pam_', 'edrkit_rl_']);
    expect(o).toMatchObject({ ringBytes: DEFAULT_RING_BYTES, filterFlags: 0, selfTgid: 777 });
    expect(o.objectPath).toBeUndefined(); // the addon opens its embedded object
    await sensor.close();
  });

  it('passes the filter to the kernel maps, and the ring size and object from the options', async () => {
    const os = fakeLinuxOs({ pid: 777 });
    const backend = new LinuxEbpfBackend({ objectPath: '/opt/edrkit/custom.bpf.o' }, os);
    const sensor = await openSensor({
      backend,
      kinds: ['process.exec', 'file.create'],
      filter: { pids: [10, 11], excludeUids: [65534], names: ['bash'], exe: ['/usr/bin/'], includeSelf: true },
      backendOptions: { ringBufferBytes: 1 << 16 },
    });
    expect(os.addon.current.options).toMatchObject({
      objectPath: '/opt/edrkit/custom.bpf.o',
      ringBytes: 1 << 16,
      kinds: PROC | KIND_BIT['file.create'],
      filterFlags: FILTER_FLAG.PID_INCLUDE | FILTER_FLAG.UID_EXCLUDE | FILTER_FLAG.NAME_INCLUDE | FILTER_FLAG.EXE_PREFIX,
      selfTgid: 0,
      pidInclude: [10, 11],
      uidExclude: [65534],
      names: ['bash'],
      exePrefixes: ['/usr/bin/'],
    });
    expect(os.addon.current.options.disable).not.toContain('edrkit_file_');
    await sensor.close();
  });

  it('an invalid ring size is ERR_INVALID_ARGUMENT before anything is opened', async () => {
    const os = fakeLinuxOs();
    await expect(openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['process.exec'], backendOptions: { ringBufferBytes: 3000 } })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message: expect.stringMatching(/backendOptions\.ringBufferBytes: 3000 must be a power of two/),
    });
    expect(os.addon.sensors).toHaveLength(0);
  });

  it('plain filter.paths prefixes skip file records in user space before conversion, counted in stats', async () => {
    const os = fakeLinuxOs();
    const backend = new LinuxEbpfBackend({}, os);
    const sensor = await openSensor({ backend, kinds: ['file.delete'], filter: { paths: ['/srv/'] } });
    const seen: EdrEvent[] = [];
    sensor.on('file.delete', (e) => seen.push(e));
    const h = { pid: 5_000_040, ppid: 1, tsNs: 1e9, comm: 'rm' };
    os.addon.emit([
      execRecord(h, { exe: { raw: '/usr/bin/rm' } }),
      fileRecord(h, { op: FILE_OP.UNLINK, path: { raw: '/srv/a' } }),
      fileRecord(h, { op: FILE_OP.UNLINK, path: { raw: '/tmp/b' } }),
    ]);
    await new Promise((r) => setImmediate(r));
    expect(seen.map((e) => e.kind === 'file.delete' && e.file.path)).toEqual(['/srv/a']);
    expect(backend.stats().pathFiltered).toBe(1);
    await sensor.close();
  });
});
