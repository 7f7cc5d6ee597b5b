// The macos-es backend's JavaScript with a fake addon (the real one builds on macOS only):
// es_new_client results become remedies, batches of records (the C converter's own output)
// become events, the addon's drops and a JavaScript backlog are counted loss, stop() closes.
import { openSensor, type EdrEvent, type ObservableKind } from '@edrkit/core';
import { EsBackend, esDescriptor, type EsAddonApi, type EsClientHandle, type MacosHostApi } from '@edrkit/macos';
import { describe, expect, it } from 'vitest';
import { runRecordDriver } from './es-native.js';

const mac = (over: Partial<MacosHostApi> = {}): MacosHostApi => ({ platform: 'darwin', isRoot: () => true, macosVersion: () => '15.4', isExecutable: () => true, ...over });

class FakeAddon implements EsAddonApi {
  onBatch: ((records: Buffer, dropped: number) => void) | undefined;
  types: number[] = [];
  closed = 0;
  constructor(private readonly result: { ok: true } | { ok: false; result: number; stage: 'client' | 'subscribe' } = { ok: true }) {}
  open(types: number[], onBatch: (records: Buffer, dropped: number) => void) {
    this.types = types;
    this.onBatch = onBatch;
    return this.result.ok ? { ok: true as const, handle: {} as EsClientHandle } : this.result;
  }
  close() {
    this.closed++;
  }
}

const KINDS: ObservableKind[] = ['process.exec', 'process.fork', 'process.exit', 'file.create', 'file.rename', 'auth.failed'];

describe('macos-es with a fake addon', () => {
  it('subscribes by es_event_type_t and maps the records of a batch', async () => {
    const addon = new FakeAddon();
    const sensor = await openSensor({ backend: new EsBackend({}, { host: mac(), addon: () => addon }), kinds: KINDS, lifecycleEvents: false });
    expect(addon.types).toEqual([9, 11, 13, 15, 19, 25, 111, 118, 120, 122, 128, 131]); // exec fork create exit link rename authentication screensharing_attach openssh_login login_login su sudo
    addon.onBatch!(Buffer.from(runRecordDriver()), 0);
    const got: EdrEvent[] = [];
    for await (const e of sensor) {
      got.push(e);
      if (e.kind === 'process.exit') break;
    }
    expect(got.map((e) => e.kind)).toEqual(['process.exec', 'process.fork', 'file.create', 'file.create', 'file.rename', 'auth.failed', 'auth.failed', 'auth.failed', 'auth.failed', 'process.exit']);
    expect(got[0]).toMatchObject({ source: 'macos-es', process: { exe: '/usr/bin/curl' } });
    await sensor.close();
    expect(addon.closed).toBe(1);
  });

  it('the addon dropping messages, and JavaScript falling behind, are counted loss', async () => {
    const addon = new FakeAddon();
    const backend = new EsBackend({ maxPendingBytes: 65536 }, { host: mac(), addon: () => addon });
    const sensor = await openSensor({ backend, kinds: KINDS, lifecycleEvents: false });
    const line = runRecordDriver().split('\n')[0]! + '\n';
    addon.onBatch!(Buffer.alloc(0), 5);
    addon.onBatch!(Buffer.from(line.repeat(100)), 0); // ~100 KiB at once: over the bound
    const lost: number[] = [];
    for await (const e of sensor) {
      if (e.kind === 'sensor.lost') lost.push(e.lost.count);
      if (lost.length === 2) break;
    }
    expect(lost).toEqual([5, 100]);
    expect(backend.stats()).toMatchObject({ addonDropped: 5, jsDropped: 100, lost: 105 });
    await sensor.close();
  });

  it.each([
    [3, 'ERR_PERMISSION', /com\.apple\.developer\.endpoint-security\.client entitlement/],
    [4, 'ERR_PERMISSION', /Full Disk Access/],
    [5, 'ERR_PERMISSION', /run edrkit with sudo/],
    [6, 'ERR_BACKEND_UNAVAILABLE', /stop another ES client/],
    [2, 'ERR_BACKEND_FAILED', /INTERNAL/],
  ])('es_new_client result %i is %s with the remedy', async (result, code, message) => {
    const addon = new FakeAddon({ ok: false, result, stage: 'client' });
    await expect(openSensor({ backend: new EsBackend({}, { host: mac(), addon: () => addon }), kinds: KINDS })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('probe: off macOS, not root, no addon', async () => {
    if (process.platform !== 'darwin') expect(await esDescriptor.probe({})).toMatchObject({ available: false, code: 'ERR_NOT_SUPPORTED', reason: `runs on macOS only (this is ${process.platform})` });
    expect(await esDescriptor.probe({}, { host: mac({ isRoot: () => false }), addon: () => new FakeAddon() })).toMatchObject({ available: false, code: 'ERR_PERMISSION' });
    const missing = await esDescriptor.probe({}, {
      host: mac(),
      addon: () => {
        throw Object.assign(new Error('the macos-es addon is missing'), { code: 'ERR_NATIVE_MISSING' });
      },
    });
    expect(missing).toMatchObject({ available: false, code: 'ERR_NATIVE_MISSING', reason: 'the macos-es addon is missing' });
    const ok = await esDescriptor.probe({}, { host: mac(), addon: () => new FakeAddon() });
    expect(ok.kinds['auth.logon']).toMatchObject({ supported: true });
    expect(ok.kinds['account.modify']).toMatchObject({ supported: true });
    expect(ok.kinds['image.load']).toMatchObject({ supported: false, reason: expect.stringContaining('backendOptions.imageLoads') });
  });
});
