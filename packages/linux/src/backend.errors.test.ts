// Errors against the fake addon and host (no root): a poll error, open failures, programs
// that did not attach, malformed records, and probes that fail. Each becomes the documented
// error (docs/linux.md) with a code, never a crash.
import { describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { execRecord, fakeLinuxHost, fakeLinuxOs, FakeLinuxAddon, nativeError, type FakeLinuxHostInit } from './testing/index.js';

const exec = (pid: number) => execRecord({ pid, ppid: 1, tsNs: 1e9, comm: 'true' }, { exe: { raw: '/usr/bin/true' } });
const sinkStub = () => ({ push() {}, lost() {}, warn() {}, error() {}, ready: () => Promise.resolve(), end() {} });
const startOptions = () => ({ kinds: ['process.exec' as const], filter: {}, signal: new AbortController().signal });

describe('linux-ebpf poll errors (fake addon)', () => {
  it('a poll error ends the stream with ERR_BACKEND_FAILED naming the errno, after the batch it came with; the backend is closed once', async () => {
    const os = fakeLinuxOs();
    const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['process.exec'] });
    const seen: EdrEvent[] = [];
    const iterating = (async () => {
      for await (const e of sensor) seen.push(e);
    })();
    os.addon.emit([exec(5_000_020)], { errno: 9 });
    const err = await iterating.catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_BACKEND_FAILED', message: 'linux-ebpf: polling the ring buffer failed: EBADF (errno 9); no further events arrive' });
    expect(sensor.error).toBe(err);
    expect(seen.map((e) => e.kind)).toEqual(['process.exec']); // the events of the last batch are delivered first
    await sensor.close();
    expect(os.addon.current).toMatchObject({ pollFailed: true, tornDownBy: 'closeAsync', closeCalls: 1 });
    expect(os.addon.emit([exec(5_000_021)])).toBe(false); // the poll thread has ended
  });
});

describe('linux-ebpf open and attach failures (fake addon)', () => {
  it('EPERM from open() is ERR_PERMISSION with the remedy; another failure is ERR_BACKEND_FAILED naming the stage', async () => {
    const os = fakeLinuxOs();
    os.addon.openError = nativeError('EPERM', 1, 'load', 'loading the BPF object: Operation not permitted (errno 1)\nlibbpf: ...');
    await expect(new LinuxEbpfBackend({}, os).start(startOptions(), sinkStub())).rejects.toMatchObject({
      code: 'ERR_PERMISSION',
      message: expect.stringMatching(/needs root, or CAP_BPF and CAP_PERFMON.*\(loading the BPF object: Operation not permitted \(errno 1\)\)$/),
    });
    const os2 = fakeLinuxOs();
    os2.addon.openError = nativeError('EBPF', 22, 'load', 'loading the BPF object: Invalid argument (errno 22)');
    await expect(openSensor({ backend: new LinuxEbpfBackend({}, os2), kinds: ['process.exec'] })).rejects.toMatchObject({
      code: 'ERR_BACKEND_FAILED',
      message: 'linux-ebpf failed at load: loading the BPF object: Invalid argument (errno 22)',
    });
    expect(os2.addon.sensors).toHaveLength(0);
  });

  it('a program that did not attach is a warning naming it; the others keep running', async () => {
    const os = fakeLinuxOs();
    os.addon.failedPrograms = [{ name: 'edrkit_kmod_finit', errno: 2, message: 'No such file or directory' }];
    const backend = new LinuxEbpfBackend({}, os);
    const sensor = await openSensor({ backend, kinds: ['process.exec'] });
    expect(sensor.stats().warnings).toBe(1);
    expect(backend.failedPrograms).toEqual(os.addon.failedPrograms);
    expect(backend.kernelIds).toEqual({ progs: [101], maps: [102] });
    await sensor.close();
  });

  it('a program whose syscall this kernel does not have (arm64: open, creat, ...) is absent, not a warning', async () => {
    const os = fakeLinuxOs();
    os.addon.absentPrograms = ['edrkit_file_open', 'edrkit_file_open_x'];
    const backend = new LinuxEbpfBackend({}, os);
    const sensor = await openSensor({ backend, kinds: ['process.exec', 'file.create'] });
    expect(sensor.stats().warnings).toBe(0);
    expect(backend.failedPrograms).toEqual([]);
    expect(backend.absentPrograms).toEqual(['edrkit_file_open', 'edrkit_file_open_x']);
    await sensor.close();
  });

  it('malformed records are skipped and counted with one ERR_INVALID_RECORD warning per batch', async () => {
    const os = fakeLinuxOs();
    const backend = new LinuxEbpfBackend({}, os);
    const sensor = await openSensor({ backend, kinds: ['process.exec'] });
    const warnings: Error[] = [];
    sensor.on('warning', (w) => warnings.push(w));
    const bad = exec(5_000_022);
    bad[2] = 99; // edrkit_hdr.abi: another ABI version
    os.addon.emit([bad, exec(5_000_023)]);
    await new Promise((r) => setImmediate(r));
    expect(warnings).toEqual([expect.objectContaining({ code: 'ERR_INVALID_RECORD' })]);
    expect(backend.stats()).toMatchObject({ received: 2, malformed: 1, events: 1 });
    await sensor.close();
  });
});

describe('linux-ebpf probe failures (fake host)', () => {
  const cases: [string, FakeLinuxHostInit, string, RegExp][] = [
    ['unprivileged', { privileges: { ok: false, how: 'uid 1000 without CAP_BPF/CAP_PERFMON' } }, 'ERR_PERMISSION', /run as root \(sudo\), or grant them with 'setcap/],
    ['old kernel', { kernelRelease: '5.15.0-91-generic' }, 'ERR_NOT_SUPPORTED', /kernel 5\.15\.0-91-generic is too old: linux-ebpf needs Linux 5\.17 or newer/],
    ['no BTF', { btf: false }, 'ERR_NOT_SUPPORTED', /CONFIG_DEBUG_INFO_BTF=y/],
    ['no BPF object file (objectPath)', { bpfObject: false }, 'ERR_NATIVE_MISSING', /custom\.bpf\.o \(backendOptions\.objectPath\) is missing: leave objectPath out/],
    ['tracefs unreadable', { tracefs: 'unreadable' }, 'ERR_PERMISSION', /tracefs at \/sys\/kernel\/tracing is not readable/],
    ['tracefs missing', { tracefs: 'missing' }, 'ERR_NOT_SUPPORTED', /mount -t tracefs tracefs \/sys\/kernel\/tracing/],
    ['not Linux', { platform: 'darwin' }, 'ERR_NOT_SUPPORTED', /linux-ebpf runs on Linux only \(this is darwin\)/],
  ];
  it.each(cases)('%s: start() and openSensor fail with the code and the remedy, and nothing is opened', async (_name, init, code, message) => {
    const os = fakeLinuxOs(init);
    // The embedded object cannot be missing; a file named by objectPath can.
    const options = init.bpfObject === false ? { objectPath: '/opt/edrkit/custom.bpf.o' } : {};
    await expect(new LinuxEbpfBackend(options, os).start(startOptions(), sinkStub())).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    await expect(openSensor({ backend: new LinuxEbpfBackend(options, os), kinds: ['process.exec'] })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(os.addon.sensors).toHaveLength(0);
  });

  it('an addon that cannot be loaded is ERR_NATIVE_MISSING with its message', async () => {
    const missing = Object.assign(new Error('the linux-ebpf addon is missing (looked for /x/edrkit_linux.node)'), { code: 'ERR_NATIVE_MISSING' });
    const backend = new LinuxEbpfBackend({}, { host: fakeLinuxHost(), addon: () => { throw missing; } });
    const probe = await backend.probe();
    expect(probe).toMatchObject({ available: false, code: 'ERR_NATIVE_MISSING', reason: missing.message });
    await expect(backend.start(startOptions(), sinkStub())).rejects.toMatchObject({ code: 'ERR_NATIVE_MISSING', message: expect.stringContaining(missing.message) });
  });

  it('a working fake host and addon probe as available, with the fake libbpf version', async () => {
    const probe = await new LinuxEbpfBackend({}, { host: fakeLinuxHost(), addon: new FakeLinuxAddon() }).probe();
    expect(probe).toMatchObject({ available: true, details: { libbpf: 'fake', kernelRelease: '6.12.0-fake', privileges: 'root' } });
    expect(probe.kinds['kmod.load'].supported).toBe(true);
  });
});
