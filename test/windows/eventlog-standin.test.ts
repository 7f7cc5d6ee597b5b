/**
 * The `windows-eventlog` backend through its real koffi bindings against the stand-in library:
 * EvtSubscribe per channel the kinds need, the subscription callback called from the stand-in's
 * own thread, EvtRender (sized, then rendered) of real event XML, mapping shared with the log
 * import, the error action → sensor.lost, a missing channel → warning, access denied →
 * ERR_PERMISSION, and EvtClose off the main thread at stop.
 */
import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent, type ObservableKind } from '@edrkit/core';
import { WindowsEventLogBackend } from '@edrkit/windows';
import { HAVE_STANDIN, STANDIN } from './etw-encode.js';

interface Controls {
  StandinEventLogReset(): void;
  StandinDenyChannel(c: string): void;
  StandinMissingChannel(c: string): void;
  StandinSubscriptions(): number;
  StandinQueueEventXml(channel: string, xml: string): void;
  StandinQueueSubscriptionError(channel: string, error: number): void;
}

let c: Controls;

const xml = (provider: string, id: number, channel: string, data: Record<string, string>) =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='${provider}' Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/><EventID>${id}</EventID><Version>2</Version><TimeCreated SystemTime='2026-12-03T12:00:00.1234567Z'/><EventRecordID>42</EventRecordID><Execution ProcessID='668' ThreadID='700'/><Channel>${channel}</Channel><Computer>ws1.example</Computer><Security/></System><EventData>${Object.entries(data)
    .map(([k, v]) => `<Data Name='${k}'>${v}</Data>`)
    .join('')}</EventData></Event>`;

async function collect(kinds: ObservableKind[], count: number, produce: () => void): Promise<{ events: EdrEvent[]; warnings: Error[] }> {
  const sensor = await openSensor({ backend: new WindowsEventLogBackend({ library: STANDIN }), kinds, filter: { includeSelf: true }, processTable: false });
  const warnings: Error[] = [];
  sensor.on('warning', (w: Error) => warnings.push(w));
  produce();
  const events: EdrEvent[] = [];
  const deadline = Date.now() + 10_000;
  for await (const e of sensor) {
    if (e.kind === 'sensor.start') continue;
    events.push(e);
    if (events.length >= count || Date.now() > deadline) break;
  }
  await sensor.close();
  return { events, warnings };
}

describe.skipIf(!HAVE_STANDIN)('windows-eventlog through the stand-in library', () => {
  beforeEach(() => {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const lib = koffi.load(STANDIN);
    c = {
      StandinEventLogReset: lib.func('void StandinEventLogReset(void)'),
      StandinDenyChannel: lib.func('void StandinDenyChannel(str16 c)'),
      StandinMissingChannel: lib.func('void StandinMissingChannel(str16 c)'),
      StandinSubscriptions: lib.func('int StandinSubscriptions(void)'),
      StandinQueueEventXml: lib.func('void StandinQueueEventXml(str16 channel, str16 xml)'),
      StandinQueueSubscriptionError: lib.func('void StandinQueueSubscriptionError(str16 channel, uint32_t error)'),
    } as unknown as Controls;
    c.StandinEventLogReset();
  });

  it('subscribes to the channels the kinds need and maps delivered events like the import', async () => {
    c.StandinMissingChannel('Microsoft-Windows-TaskScheduler/Operational');
    const { events, warnings } = await collect(['auth.logon', 'auth.failed', 'service.create', 'task.create'], 4, () => {
      c.StandinQueueEventXml('Security', xml('Microsoft-Windows-Security-Auditing', 4624, 'Security', { SubjectUserSid: 'S-1-5-18', TargetUserName: 'bob', TargetDomainName: 'CORP', TargetUserSid: 'S-1-5-21-1', LogonType: '10', IpAddress: '192.0.2.9', IpPort: '51000', ProcessId: '0x2cc', ProcessName: 'C:\\Windows\\System32\\svchost.exe', TargetLogonId: '0x3e7' }));
      c.StandinQueueEventXml('Security', xml('Microsoft-Windows-Security-Auditing', 4625, 'Security', { TargetUserName: 'eve', LogonType: '3', Status: '0xc000006d', SubStatus: '0xc0000064' }));
      c.StandinQueueSubscriptionError('Security', 15011);
      c.StandinQueueEventXml('System', xml('Service Control Manager', 7045, 'System', { ServiceName: 'evil', ImagePath: 'C:\\e.exe &amp; more', StartType: 'auto start', AccountName: 'LocalSystem' }));
    });
    expect(c.StandinSubscriptions()).toBe(2); // Security, System; TaskScheduler/Operational is missing
    // The missing channel was reported during start(), before the listener was added: kept for it.
    expect(warnings.map((w) => (w as { code?: string }).code)).toEqual(['ERR_EVENTLOG_CHANNEL_MISSING']);
    const kinds = events.map((e) => (e.kind === 'sensor.lost' ? `lost:${e.lost.stage}` : e.kind));
    expect(kinds.sort()).toEqual(['auth.failed', 'auth.logon', 'lost:kernel', 'service.create']);
    const logon = events.find((e) => e.kind === 'auth.logon');
    expect(logon).toMatchObject({ source: 'windows-eventlog', platform: 'windows', time: Date.UTC(2026, 11, 3, 12, 0, 0, 123) + 0.457, auth: { user: 'CORP\\bob', method: 'RemoteInteractive', remote: { ip: '192.0.2.9', port: 51000 } }, raw: { windows: { computer: 'ws1.example', recordId: 42 } } });
    expect(events.find((e) => e.kind === 'auth.failed')).toMatchObject({ auth: { reason: 'unknown user' } });
    expect(events.find((e) => e.kind === 'service.create')).toMatchObject({ process: { pid: 668 }, service: { name: 'evil', command: 'C:\\e.exe & more', startType: 'auto' } });
  });

  it('a missing channel is a warning naming it, and the other channels keep running', async () => {
    c.StandinMissingChannel('Microsoft-Windows-TaskScheduler/Operational');
    const backend = new WindowsEventLogBackend({ library: STANDIN });
    const warnings: Error[] = [];
    const sink = { push() {}, lost() {}, warn: (w: Error) => void warnings.push(w), error() {}, ready: async () => {}, end() {} };
    await backend.start({ kinds: ['task.create'], filter: {}, signal: new AbortController().signal }, sink);
    await backend.stop();
    expect(c.StandinSubscriptions()).toBe(1);
    expect(warnings.map((w) => [(w as { code?: string }).code, w.message])).toEqual([
      ['ERR_EVENTLOG_CHANNEL_MISSING', 'EvtSubscribe(Microsoft-Windows-TaskScheduler/Operational): no such channel on this Windows, so its scheduled tasks are not seen'],
    ]);
  });

  it('channel access denied is ERR_PERMISSION naming Event Log Readers', async () => {
    c.StandinDenyChannel('Security');
    await expect(openSensor({ backend: new WindowsEventLogBackend({ library: STANDIN }), kinds: ['auth.logon'] })).rejects.toMatchObject({ code: 'ERR_PERMISSION', message: expect.stringMatching(/Security.*Event Log Readers/) });
  });
});
