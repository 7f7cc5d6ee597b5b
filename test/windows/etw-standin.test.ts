/**
 * The `windows-etw` backend through its real koffi bindings against the stand-in library
 * (native/windows-standin): StartTraceW (stopping a stale session of the same name),
 * EnableTraceEx2 per provider with the manifests' keywords, OpenTraceW with the record
 * callback, ProcessTrace on a worker thread delivering real EVENT_RECORDs, decoding by
 * template and version, loss counters → sensor.lost, ControlTraceW(STOP) at close, and the
 * errors that name the fix.
 */
import { describe, expect, it, beforeEach } from 'vitest';
import { openSensor, type EdrEvent, type ObservableKind } from '@edrkit/core';
import { WindowsEtwBackend } from '@edrkit/windows';
import { PROVIDERS, templateOf, type ProviderName } from '../../packages/windows/src/etw/templates.js';
import { encodePayload, filetime, guidBytes, HAVE_STANDIN, loadStandin, NO_STANDIN, STANDIN, type Standin } from './etw-encode.js';

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

let standin: Standin;

function queue(provider: ProviderName, id: number, version: number, pid: number, values: Record<string, number | bigint | string | Uint8Array>, at = 0, payload?: Buffer): void {
  const t = templateOf(provider, id, version);
  const data = payload ?? encodePayload(t!, values);
  standin.StandinQueueEvent(guidBytes(PROVIDERS[provider]), id, version, 0, pid, pid + 1, filetime(T0 + at), 0x40 /* 64-bit header */, data, data.length);
}

const ipv4 = (s: string) => Buffer.from(s.split('.').map(Number)).readUInt32LE(0); // network order in memory
const nport = (p: number) => ((p & 0xff) << 8) | (p >> 8);
const ipv6 = (groups: number[]) => {
  const b = Buffer.alloc(16);
  groups.forEach((g, i) => b.writeUInt16BE(g, i * 2));
  return b;
};

async function collect(kinds: ObservableKind[], count: number, produce: () => void, options: Record<string, unknown> = {}): Promise<{ events: EdrEvent[]; warnings: Error[] }> {
  const backend = new WindowsEtwBackend({ library: STANDIN, sessionName: 'standin-test', lossPollMs: 50, ...options });
  const sensor = await openSensor({ backend, kinds, filter: { includeSelf: true }, processTable: false });
  const warnings: Error[] = [];
  sensor.on('warning', (w: Error) => warnings.push(w));
  const events: EdrEvent[] = [];
  produce();
  const deadline = Date.now() + 10_000;
  for await (const e of sensor) {
    if (e.kind === 'sensor.start') continue;
    events.push(e);
    if (events.length >= count || Date.now() > deadline) break;
  }
  await sensor.close();
  return { events, warnings };
}

describe.skipIf(!HAVE_STANDIN)('windows-etw through the stand-in library', () => {
  beforeEach(() => {
    standin = loadStandin();
    standin.StandinReset();
  });

  it('starts a real-time session (stopping a stale one of its name), enables the providers, decodes every kind, stops', async () => {
    standin.StandinAddStaleSession('edrkit-standin-test');
    const kinds: ObservableKind[] = ['process.exec', 'process.exit', 'process.tamper', 'image.load', 'file.create', 'file.modify', 'file.rename', 'file.delete', 'net.connect', 'net.accept', 'registry.create', 'registry.set', 'registry.delete', 'dns.query', 'process.access', 'script.content'];
    const cmd = '\\Device\\HarddiskVolume3\\Windows\\System32\\cmd.exe';
    const { events, warnings } = await collect(kinds, 17, () => {
      queue('Microsoft-Windows-Kernel-Process', 1, 3, 50, { ProcessID: 100, CreateTime: filetime(T0), ParentProcessID: 50, SessionID: 1, MandatoryLabel: 'S-1-16-12288', ImageName: cmd });
      queue('Microsoft-Windows-Kernel-Process', 3, 1, 50, { ProcessID: 100, ThreadID: 101 }); // first thread, made by the parent: not tampering
      queue('Microsoft-Windows-Kernel-Process', 3, 1, 777, { ProcessID: 100, ThreadID: 102, Win32StartAddr: 0x7ff6_1234_0000n });
      queue('Microsoft-Windows-Kernel-Process', 5, 0, 100, { ProcessID: 100, ImageName: '\\Device\\HarddiskVolume3\\Windows\\System32\\kernel32.dll' });
      queue('Microsoft-Windows-Kernel-File', 30, 1, 100, { FileObject: 0xaa00n, IssuingThreadId: 101, FileName: '\\Device\\HarddiskVolume3\\Temp\\new.txt' });
      queue('Microsoft-Windows-Kernel-File', 12, 1, 100, { FileObject: 0xbb00n, FileName: '\\Device\\HarddiskVolume3\\Temp\\old.txt' });
      queue('Microsoft-Windows-Kernel-File', 16, 1, 100, { FileObject: 0xbb00n, IOSize: 10 });
      queue('Microsoft-Windows-Kernel-File', 16, 1, 100, { FileObject: 0xbb00n, IOSize: 10 }); // second write: the same modification
      queue('Microsoft-Windows-Kernel-File', 27, 1, 100, { FileObject: 0xbb00n, FilePath: '\\Device\\HarddiskVolume3\\Temp\\renamed.txt' });
      queue('Microsoft-Windows-Kernel-File', 26, 1, 100, { FileObject: 0xcc00n, FilePath: '\\Device\\HarddiskVolume3\\Temp\\gone.txt' });
      queue('Microsoft-Windows-Kernel-Network', 12, 0, 4, { PID: 100, daddr: ipv4('192.0.2.7'), saddr: ipv4('10.0.0.5'), dport: nport(443), sport: nport(50123) });
      queue('Microsoft-Windows-Kernel-Network', 31, 0, 4, { PID: 100, daddr: ipv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]), saddr: ipv6([0xfe80, 0, 0, 0, 0, 0, 0, 2]), dport: nport(60000), sport: nport(8080) });
      queue('Microsoft-Windows-Kernel-Network', 42, 0, 4, { PID: 100, daddr: ipv4('192.0.2.53'), saddr: ipv4('10.0.0.5'), dport: nport(53), sport: nport(5353) });
      queue('Microsoft-Windows-Kernel-Network', 42, 0, 4, { PID: 100, daddr: ipv4('192.0.2.53'), saddr: ipv4('10.0.0.5'), dport: nport(53), sport: nport(5353) }); // same UDP flow
      queue('Microsoft-Windows-Kernel-Registry', 1, 0, 100, { Status: 0, Disposition: 1, BaseName: '\\REGISTRY\\MACHINE\\SOFTWARE', RelativeName: 'Evil' });
      const dword = Buffer.alloc(4);
      dword.writeUInt32LE(1);
      queue('Microsoft-Windows-Kernel-Registry', 5, 0, 100, { Status: 0, Type: 4, DataSize: 4, KeyName: '\\REGISTRY\\MACHINE\\SOFTWARE\\Evil', ValueName: 'Enabled', CapturedDataSize: 4, CapturedData: dword, PreviousDataCapturedSize: 0, PreviousData: new Uint8Array(0) });
      queue('Microsoft-Windows-Kernel-Registry', 6, 0, 100, { Status: 0, KeyName: '\\REGISTRY\\MACHINE\\SOFTWARE\\Evil', ValueName: 'Old' });
      queue('Microsoft-Windows-DNS-Client', 3008, 0, 100, { QueryName: 'example.org', QueryType: 28, QueryStatus: 0, QueryResults: '2001:db8::1;' });
      queue('Microsoft-Windows-Kernel-Audit-API-Calls', 5, 0, 777, { TargetProcessId: 100, DesiredAccess: 0x1410, ReturnCode: 0 });
      queue('Microsoft-Windows-PowerShell', 4104, 1, 100, { MessageNumber: 1, MessageTotal: 1, ScriptBlockText: 'Get-Process', ScriptBlockId: 'x', Path: '' });
      queue('Microsoft-Windows-Kernel-Process', 1, 9, 50, {}, 0, Buffer.alloc(4)); // a version without a template: counted, not decoded
      queue('Microsoft-Windows-Kernel-Process', 2, 2, 100, { ProcessID: 100, ExitCode: 3, ImageName: 'cmd.exe' });
    });
    expect(warnings).toEqual([]);
    expect(standin.StandinStaleStops()).toBe(1);
    expect(standin.StandinLogFileMode() & 0x100).toBe(0x100); // EVENT_TRACE_REAL_TIME_MODE
    expect(standin.StandinProcessTraceMode()).toBe(0x1000_0100); // REAL_TIME | EVENT_RECORD
    expect(standin.StandinProcessTraceOffStarterThread()).toBe(1);
    expect(standin.StandinSessionActive()).toBe(0);
    const enabled = new Map<string, bigint>();
    for (let i = 0; i < standin.StandinProviderCount(); i++) {
      const g = Buffer.alloc(16);
      const kw = BigInt(standin.StandinProvider(i, g));
      enabled.set(Object.entries(PROVIDERS).find(([, guid]) => guidBytes(guid).equals(g))![0], kw);
    }
    expect(Object.fromEntries(enabled)).toEqual({
      'Microsoft-Windows-Kernel-Process': 0x70n,
      'Microsoft-Windows-Kernel-File': 0x1e80n,
      'Microsoft-Windows-Kernel-Network': 0x30n,
      'Microsoft-Windows-Kernel-Registry': 0x5300n,
      'Microsoft-Windows-DNS-Client': 0n,
      'Microsoft-Windows-Kernel-Audit-API-Calls': 0n,
      'Microsoft-Windows-PowerShell': 0n,
    });
    expect(events.map((e) => e.kind)).toEqual([
      'process.exec', 'process.tamper', 'image.load', 'file.create', 'file.modify', 'file.rename', 'file.delete', 'net.connect', 'net.accept', 'net.connect',
      'registry.create', 'registry.set', 'registry.delete', 'dns.query', 'process.access', 'script.content', 'process.exit',
    ]);
    const by = (i: number) => events[i] as Record<string, any>;
    expect(by(0)).toMatchObject({ source: 'windows-etw', platform: 'windows', time: T0, process: { pid: 100, ppid: 50, exe: cmd, startTime: T0 }, raw: { windows: { provider: 'Microsoft-Windows-Kernel-Process', eventId: 1, version: 3, MandatoryLabel: 'S-1-16-12288' } } });
    expect(by(1)).toMatchObject({ process: { pid: 777 }, target: { pid: 100, tid: 102, exe: cmd }, technique: 'remote-thread', startAddress: '0x7ff612340000' });
    expect(by(3)).toMatchObject({ process: { pid: 100, exe: cmd, tid: 101 }, file: { path: '\\Device\\HarddiskVolume3\\Temp\\new.txt' } });
    expect(by(5)).toMatchObject({ file: { path: '\\Device\\HarddiskVolume3\\Temp\\old.txt' }, target: { path: '\\Device\\HarddiskVolume3\\Temp\\renamed.txt' } });
    expect(by(7)).toMatchObject({ process: { pid: 100, exe: cmd }, net: { protocol: 'tcp', family: 'ipv4', local: { ip: '10.0.0.5', port: 50123 }, remote: { ip: '192.0.2.7', port: 443 } } });
    expect(by(8)).toMatchObject({ kind: 'net.accept', net: { family: 'ipv6', local: { ip: 'fe80::2', port: 8080 }, remote: { ip: '2001:db8::1', port: 60000 } } });
    expect(by(9)).toMatchObject({ net: { protocol: 'udp', remote: { ip: '192.0.2.53', port: 53 } } });
    expect(by(10)).toMatchObject({ registry: { key: '\\REGISTRY\\MACHINE\\SOFTWARE\\Evil' } });
    expect(by(11)).toMatchObject({ registry: { key: '\\REGISTRY\\MACHINE\\SOFTWARE\\Evil', value: 'Enabled', dataType: 'REG_DWORD', data: 'DWORD (0x00000001)' } });
    expect(by(12)).toMatchObject({ registry: { value: 'Old' } });
    expect(by(13)).toMatchObject({ dns: { query: 'example.org', type: 'AAAA', answers: ['2001:db8::1'] } });
    expect(by(14)).toMatchObject({ process: { pid: 777 }, target: { pid: 100, exe: cmd }, access: { mask: 0x1410, rights: ['memory-read', 'query'] } });
    expect(by(15)).toMatchObject({ script: { interpreter: 'powershell', content: 'Get-Process', truncated: false } });
    expect(by(16)).toMatchObject({ process: { pid: 100, exe: cmd }, exitCode: 3 });
  });

  it("turns the session's loss counters and an undecodable record into sensor.lost", async () => {
    const { events, warnings } = await collect(['process.exec'], 3, () => {
      standin.StandinSetLoss(3, 1);
      queue('Microsoft-Windows-Kernel-Process', 1, 3, 50, {}, 0, Buffer.alloc(6)); // too short for its template
    });
    expect(events.map((e) => e.kind === 'sensor.lost' && [e.lost.count, e.lost.stage])).toEqual(expect.arrayContaining([[1, 'backend'], [3, 'kernel'], [1, 'kernel']]));
    expect(warnings.map((w) => (w as { code?: string }).code)).toEqual(['ERR_INVALID_RECORD']);
    expect(warnings[0]!.message).toMatch(/Kernel-Process 1 v3: .* needs \d+ bytes/);
  });

  it('errors name the fix: not elevated, session limit', async () => {
    const start = async () => {
      const sensor = await openSensor({ backend: new WindowsEtwBackend({ library: STANDIN, sessionName: 'standin-test' }), kinds: ['process.exec'] });
      await sensor.close();
    };
    standin.StandinFailNextStart(5);
    await expect(start()).rejects.toMatchObject({ code: 'ERR_PERMISSION', message: expect.stringMatching(/elevated .*Performance Log Users/) });
    standin.StandinFailNextStart(1450);
    await expect(start()).rejects.toMatchObject({ code: 'ERR_ETW_SESSION_LIMIT', message: expect.stringMatching(/logman query -ets/) });
  });
});

// On Linux the stand-in is part of the build (npm run setup): missing, it is a failure, not a skip.
if (process.platform === 'linux') {
  describe('the windows-etw stand-in library', () => {
    it('is built on Linux (npm run setup)', () => {
      expect(HAVE_STANDIN, NO_STANDIN).toBe(true);
    });
  });
}
