// Teardown against the fake addon (no root): close, abort and process exit each tear the
// native sensor down exactly once, and a stop or abort while start() is still probing
// attaches nothing (otherwise the programs would stay loaded with nobody to close them).
import { describe, expect, it } from 'vitest';
import { openSensor, type EventSink } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { execRecord, fakeLinuxHost, fakeLinuxOs, FakeLinuxAddon } from './testing/index.js';

const exec = (pid: number) => execRecord({ pid, ppid: 1, tsNs: 1e9, comm: 'true' }, { exe: { raw: '/usr/bin/true' } });
const sinkStub = (): EventSink => ({ push() {}, lost() {}, warn() {}, error() {}, ready: () => Promise.resolve(), end() {} });

describe('linux-ebpf teardown (fake addon)', () => {
  it('sensor.close() closes the native sensor once, however often it or stop() is called', async () => {
    const os = fakeLinuxOs();
    const backend = new LinuxEbpfBackend({}, os);
    const sensor = await openSensor({ backend, kinds: ['process.exec'] });
    await Promise.all([sensor.close(), sensor.close(), backend.stop()]);
    await backend.stop();
    expect(os.addon.current).toMatchObject({ tornDownBy: 'closeAsync', closeCalls: 1 });
    expect(os.addon.emit([exec(5_000_030)])).toBe(false);
  });

  it('stop() resolves only when the native teardown has finished', async () => {
    const os = fakeLinuxOs();
    os.addon.closeDelayMs = 20; // the real detach waits for RCU grace periods
    const backend = new LinuxEbpfBackend({}, os);
    await backend.start({ kinds: ['process.exec'], filter: {}, signal: new AbortController().signal }, sinkStub());
    const stopping = backend.stop();
    expect(os.addon.current).toMatchObject({ tornDownBy: 'closeAsync', unloaded: false });
    await stopping;
    expect(os.addon.current.unloaded).toBe(true);
  });

  it('aborting the sensor (openSensor signal) closes it once, and a later close() does not close again', async () => {
    const os = fakeLinuxOs();
    const controller = new AbortController();
    const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['process.exec'], signal: controller.signal });
    controller.abort();
    await sensor.done;
    await sensor.close();
    expect(os.addon.current).toMatchObject({ tornDownBy: 'closeAsync', closeCalls: 1 });
  });

  it('aborting the start signal stops a backend used without a sensor', async () => {
    const os = fakeLinuxOs();
    const controller = new AbortController();
    const backend = new LinuxEbpfBackend({}, os);
    await backend.start({ kinds: ['process.exec'], filter: {}, signal: controller.signal }, sinkStub());
    controller.abort();
    await backend.stop();
    expect(os.addon.current).toMatchObject({ tornDownBy: 'closeAsync', closeCalls: 1 });
  });

  it('after process exit tore the sensor down (env cleanup hook), stop() is safe and tears down nothing twice', async () => {
    const os = fakeLinuxOs();
    const backend = new LinuxEbpfBackend({}, os);
    const sensor = await openSensor({ backend, kinds: ['process.exec'] });
    os.addon.exit();
    expect(os.addon.emit([exec(5_000_031)])).toBe(false);
    await sensor.close();
    expect(os.addon.current).toMatchObject({ tornDownBy: 'exit', closeCalls: 1 });
  });

  it('stop() while start() is probing: start rejects with an AbortError and nothing is opened', async () => {
    const os = fakeLinuxOs();
    const backend = new LinuxEbpfBackend({}, os);
    const starting = backend.start({ kinds: ['process.exec'], filter: {}, signal: new AbortController().signal }, sinkStub());
    await backend.stop();
    await expect(starting).rejects.toMatchObject({ name: 'AbortError', message: 'linux-ebpf: stopped while starting; nothing was attached' });
    expect(os.addon.sensors).toHaveLength(0);
  });

  it('an openSensor abort while the backend is starting rejects with an AbortError and leaves nothing open', async () => {
    const addon = new FakeLinuxAddon();
    const controller = new AbortController();
    let probes = 0;
    // The second probe is the backend's own, inside start(): abort right there.
    const host = { ...fakeLinuxHost(), ensureTracefs: () => (++probes === 2 && controller.abort(), 'mounted' as const) };
    await expect(openSensor({ backend: new LinuxEbpfBackend({}, { addon, host }), kinds: ['process.exec'], signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(probes).toBe(2);
    expect(addon.sensors.filter((s) => !s.tornDownBy)).toHaveLength(0);
  });

  it('overlapping starts: the second fails with ERR_BACKEND_FAILED and only one native sensor is opened', async () => {
    const os = fakeLinuxOs();
    const backend = new LinuxEbpfBackend({}, os);
    const opts = { kinds: ['process.exec' as const], filter: {}, signal: new AbortController().signal };
    const [first, second] = await Promise.allSettled([backend.start(opts, sinkStub()), backend.start(opts, sinkStub())]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'ERR_BACKEND_FAILED', message: expect.stringMatching(/start\(\) called twice/) } });
    expect(os.addon.sensors).toHaveLength(1);
    await backend.stop();
    expect(os.addon.current.closeCalls).toBe(1);
  });
});
