import { safeParseEvent, type EventDraft } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { evtxJsonFormat, winlogJsonFormat } from './formats.js';

const where = { input: 'test.json', record: 1, line: 1 };

/** An evtx_dump event of `provider`/`id` with `data` as EventData. */
function evtx(provider: string, id: number, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    Event: {
      '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
      System: {
        Provider: { '#attributes': { Name: provider } },
        EventID: id,
        Version: 2,
        TimeCreated: { '#attributes': { SystemTime: '2025-10-24T23:41:48.497170Z' } },
        EventRecordID: 7,
        Execution: { '#attributes': { ProcessID: 664, ThreadID: 700 } },
        Channel: 'X',
        Computer: 'host.example',
      },
      EventData: data,
      ...extra,
    },
  };
}

function decode(value: unknown, format = evtxJsonFormat): EventDraft[] {
  const events = format.createDecoder().decode(value, where).events;
  for (const e of events) {
    const r = safeParseEvent({ ...e, seq: 0 });
    if (!r.ok) throw r.error;
  }
  return events;
}

const SYSMON = 'Microsoft-Windows-Sysmon';
const SECURITY = 'Microsoft-Windows-Security-Auditing';
const proc = { ProcessId: 4242, Image: 'C:\\Windows\\System32\\rundll32.exe', User: 'HOST\\alice', UtcTime: '2025-10-24 23:41:48.482' };

describe('Windows record mapping (every record type of the import)', () => {
  it('Sysmon 1 is process.exec with args, parent, hashes and the event time from UtcTime', () => {
    const [e] = decode(evtx(SYSMON, 1, { ...proc, CommandLine: 'rundll32.exe "C:\\a b\\x.dll",Entry', ParentProcessId: 10, ParentImage: 'C:\\Windows\\explorer.exe', ParentCommandLine: 'explorer.exe', CurrentDirectory: 'C:\\', Hashes: 'MD5=8B20EBCF5A2C5410B43765B5CEA17E5B,IMPHASH=03AD7A1AF78BF7A500FB199CABE4C34A' }));
    expect(e).toMatchObject({
      kind: 'process.exec',
      time: Date.UTC(2025, 9, 24, 23, 41, 48, 482),
      platform: 'windows',
      process: { pid: 4242, ppid: 10, args: ['rundll32.exe', 'C:\\a b\\x.dll,Entry'], cwd: 'C:\\', hashes: { md5: '8b20ebcf5a2c5410b43765b5cea17e5b' }, parent: { pid: 10, exe: 'C:\\Windows\\explorer.exe', cmdline: 'explorer.exe' } },
      raw: { windows: { eventId: 1, provider: SYSMON, computer: 'host.example', recordId: 7, Hashes: expect.stringContaining('IMPHASH=') } },
    });
  });

  it('Sysmon 3 is net.connect, or net.accept when Initiated is false (local side = destination)', () => {
    const net = { ...proc, Protocol: 'tcp', SourceIsIpv6: 'true', SourceIp: 'fe80::1', SourcePort: '50000', DestinationIp: 'fe80::2', DestinationPort: 445 };
    expect(decode(evtx(SYSMON, 3, { ...net, Initiated: 'true' }))[0]).toMatchObject({ kind: 'net.connect', net: { family: 'ipv6', local: { ip: 'fe80::1', port: 50000 }, remote: { ip: 'fe80::2', port: 445 } } });
    expect(decode(evtx(SYSMON, 3, { ...net, Initiated: 'false' }))[0]).toMatchObject({ kind: 'net.accept', net: { local: { ip: 'fe80::2', port: 445 }, remote: { ip: 'fe80::1', port: 50000 } } });
    expect(() => decode(evtx(SYSMON, 3, { ...net, Protocol: 'icmp' }))).toThrow(/Protocol "icmp" is not tcp or udp/);
  });

  it('Sysmon 5, 6, 7, 11, 23, 26', () => {
    expect(decode(evtx(SYSMON, 5, proc))[0]?.kind).toBe('process.exit');
    expect(decode(evtx(SYSMON, 6, { ImageLoaded: 'C:\\Windows\\System32\\drivers\\evil.sys', UtcTime: proc.UtcTime }))[0]).toMatchObject({ kind: 'kmod.load', process: { pid: 4, exe: '' }, module: { name: 'evil.sys', path: 'C:\\Windows\\System32\\drivers\\evil.sys' } });
    expect(decode(evtx(SYSMON, 7, { ...proc, ImageLoaded: 'C:\\x.dll' }))[0]).toMatchObject({ kind: 'image.load', image: { path: 'C:\\x.dll' } });
    expect(decode(evtx(SYSMON, 11, { ...proc, TargetFilename: 'C:\\t.txt' }))[0]).toMatchObject({ kind: 'file.create', file: { path: 'C:\\t.txt' } });
    expect(decode(evtx(SYSMON, 23, { ...proc, TargetFilename: 'C:\\t.txt' }))[0]?.kind).toBe('file.delete');
    expect(decode(evtx(SYSMON, 26, { ...proc, TargetFilename: 'C:\\t.txt' }))[0]?.kind).toBe('file.delete');
  });

  it('Sysmon 8 and 25 are process.tamper, 10 process.access with rights from the mask', () => {
    const src = { SourceProcessId: 1, SourceImage: 'C:\\a.exe', SourceThreadId: 2, TargetProcessId: 3, TargetImage: 'C:\\Windows\\System32\\lsass.exe' };
    expect(decode(evtx(SYSMON, 8, { ...src, NewThreadId: 9, StartAddress: '0x00007FF6', StartModule: '-' }))[0]).toMatchObject({ kind: 'process.tamper', technique: 'remote-thread', target: { pid: 3, tid: 9 }, startAddress: '0x00007FF6' });
    const [access] = decode(evtx(SYSMON, 10, { ...src, GrantedAccess: '0x1410' }));
    expect(access).toMatchObject({ kind: 'process.access', process: { pid: 1, tid: 2 }, target: { pid: 3 }, access: { mask: 0x1410, rights: ['memory-read', 'query'] } });
    expect(decode(evtx(SYSMON, 10, { ...src, GrantedAccess: '0x1fffff' }))[0]).toMatchObject({ access: { rights: ['terminate', 'memory-read', 'memory-write', 'query', 'other'] } });
    expect(decode(evtx(SYSMON, 25, { ...proc, Type: 'Image is locked for access' }))[0]).toMatchObject({ kind: 'process.tamper', technique: 'image-tamper', target: { pid: 4242 } });
  });

  it('Sysmon 12 by EventType, 13, 14', () => {
    const key = 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run';
    expect(decode(evtx(SYSMON, 12, { ...proc, EventType: 'CreateKey', TargetObject: key }))[0]).toMatchObject({ kind: 'registry.create', registry: { key } });
    expect(decode(evtx(SYSMON, 12, { ...proc, EventType: 'DeleteKey', TargetObject: key }))[0]).toMatchObject({ kind: 'registry.delete', registry: { key } });
    expect(decode(evtx(SYSMON, 12, { ...proc, EventType: 'DeleteValue', TargetObject: `${key}\\Updater` }))[0]).toMatchObject({ kind: 'registry.delete', registry: { key, value: 'Updater' } });
    expect(() => decode(evtx(SYSMON, 12, { ...proc, EventType: 'Bogus', TargetObject: key }))).toThrow(/EventType "Bogus"/);
    expect(decode(evtx(SYSMON, 13, { ...proc, EventType: 'SetValue', TargetObject: `${key}\\Updater`, Details: 'C:\\u.exe' }))[0]).toMatchObject({ kind: 'registry.set', registry: { key, value: 'Updater', data: 'C:\\u.exe' } });
    expect(decode(evtx(SYSMON, 14, { ...proc, EventType: 'RenameKey', TargetObject: key, NewName: `${key}2` }))[0]).toMatchObject({ kind: 'registry.rename', registry: { key }, target: { key: `${key}2` } });
  });

  it('Sysmon 17/18 pipes, 19–21 WMI, 22 DNS', () => {
    expect(decode(evtx(SYSMON, 17, { ...proc, PipeName: '\\postex_1' }))[0]).toMatchObject({ kind: 'pipe.create', pipe: { name: '\\postex_1' } });
    expect(decode(evtx(SYSMON, 18, { ...proc, PipeName: '\\lsarpc' }))[0]?.kind).toBe('pipe.connect');
    const wmi = { User: 'HOST\\alice', Operation: 'Created', EventNamespace: '"root\\\\subscription"', UtcTime: proc.UtcTime };
    expect(decode(evtx(SYSMON, 19, { ...wmi, Name: 'f', Query: 'SELECT * FROM __InstanceModificationEvent' }))[0]).toMatchObject({ kind: 'wmi.filter', wmi: { name: 'f', query: expect.stringContaining('SELECT'), operation: 'created' } });
    expect(decode(evtx(SYSMON, 20, { ...wmi, Name: 'c', Type: 'Command Line', Destination: 'cmd /c calc' }))[0]).toMatchObject({ kind: 'wmi.consumer', wmi: { consumer: 'CommandLineEventConsumer', destination: 'cmd /c calc' } });
    expect(decode(evtx(SYSMON, 21, { ...wmi, Operation: 'Deleted', Consumer: 'c', Filter: 'f' }))[0]).toMatchObject({ kind: 'wmi.binding', wmi: { consumer: 'c', filter: 'f', operation: 'deleted' } });
    expect(decode(evtx(SYSMON, 22, { ...proc, QueryName: 'example.org', QueryResults: 'type:  5 cdn.example.net;::ffff:192.0.2.1;' }))[0]).toMatchObject({ kind: 'dns.query', dns: { query: 'example.org', type: '', answers: ['cdn.example.net', '::ffff:192.0.2.1'] } });
  });

  it('Sysmon ids without a kind map to nothing', () => {
    for (const id of [2, 4, 9, 15, 16, 24, 27]) expect(decode(evtx(SYSMON, id, proc))).toEqual([]);
  });

  it('Security logons, logoffs and failures', () => {
    const logon = { SubjectUserSid: 'S-1-5-18', SubjectUserName: 'HOST$', SubjectDomainName: 'WORKGROUP', TargetUserName: 'bob', TargetDomainName: 'CORP', TargetUserSid: 'S-1-5-21-1', TargetLogonId: '0x3e7', LogonType: '10', IpAddress: '192.0.2.9', IpPort: '51000', ProcessId: '0x2cc', ProcessName: 'C:\\Windows\\System32\\svchost.exe' };
    expect(decode(evtx(SECURITY, 4624, logon))[0]).toMatchObject({ kind: 'auth.logon', process: { pid: 0x2cc, user: 'WORKGROUP\\HOST$', sid: 'S-1-5-18' }, auth: { user: 'CORP\\bob', sid: 'S-1-5-21-1', method: 'RemoteInteractive', session: '0x3e7', remote: { ip: '192.0.2.9', port: 51000 } } });
    expect(decode(evtx(SECURITY, 4625, { ...logon, LogonType: 3, Status: '0xc000006d', SubStatus: '0xC000006A' }))[0]).toMatchObject({ kind: 'auth.failed', auth: { method: 'Network', reason: 'bad password' } });
    expect(decode(evtx(SECURITY, 4634, { TargetUserName: 'bob', TargetDomainName: 'CORP', LogonType: 2 }))[0]).toMatchObject({ kind: 'auth.logoff', process: { pid: 664 }, auth: { user: 'CORP\\bob', method: 'Interactive' } });
    expect(decode(evtx(SECURITY, 4647, { TargetUserName: 'bob' }))[0]).toMatchObject({ kind: 'auth.logoff', auth: { method: 'Unknown' } });
  });

  it('Security account, task, service and process records', () => {
    const subject = { SubjectUserSid: 'S-1-5-21-1-500', SubjectUserName: 'admin', SubjectDomainName: 'HOST' };
    const account = { ...subject, TargetUserName: 'eve', TargetDomainName: 'HOST', TargetSid: 'S-1-5-21-1-1001' };
    expect(decode(evtx(SECURITY, 4720, account))[0]).toMatchObject({ kind: 'account.create', account: { name: 'HOST\\eve', sid: 'S-1-5-21-1-1001' } });
    expect(decode(evtx(SECURITY, 4722, account))[0]).toMatchObject({ kind: 'account.modify', account: { changes: { enabled: true } } });
    expect(decode(evtx(SECURITY, 4725, account))[0]).toMatchObject({ kind: 'account.modify', account: { changes: { enabled: false } } });
    expect(decode(evtx(SECURITY, 4724, account))[0]).toMatchObject({ kind: 'account.modify', account: { changes: { password: true } } });
    expect(decode(evtx(SECURITY, 4738, account))[0]?.kind).toBe('account.modify');
    expect(decode(evtx(SECURITY, 4726, account))[0]?.kind).toBe('account.delete');
    const xml = '<?xml version="1.0"?><Task><Actions Context="Author"><Exec><Command>C:\\Windows\\System32\\cmd.exe</Command><Arguments>/c echo &quot;hi&quot; &amp; calc</Arguments></Exec></Actions></Task>';
    expect(decode(evtx(SECURITY, 4698, { ...subject, TaskName: '\\Updater', TaskContent: xml }))[0]).toMatchObject({ kind: 'task.create', task: { name: '\\Updater', scheduler: 'task-scheduler', command: 'C:\\Windows\\System32\\cmd.exe /c echo "hi" & calc' } });
    expect(decode(evtx(SECURITY, 4699, { ...subject, TaskName: '\\Updater' }))[0]?.kind).toBe('task.delete');
    for (const id of [4700, 4701, 4702]) expect(decode(evtx(SECURITY, id, { ...subject, TaskName: '\\Updater' }))[0]?.kind).toBe('task.modify');
    expect(decode(evtx(SECURITY, 4697, { ...subject, ServiceName: 'PSEXESVC', ServiceFileName: '%SystemRoot%\\PSEXESVC.exe', ServiceStartType: '3', ServiceAccount: 'LocalSystem' }))[0]).toMatchObject({ kind: 'service.create', service: { name: 'PSEXESVC', path: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\PSEXESVC', startType: 'manual', user: 'LocalSystem' } });
    expect(decode(evtx(SECURITY, 4688, { ...subject, NewProcessId: '0x2ae4', NewProcessName: 'C:\\Windows\\System32\\mshta.exe', ProcessId: '0x1700', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'mshta x' }))[0]).toMatchObject({ kind: 'process.exec', process: { pid: 0x2ae4, ppid: 0x1700, parent: { pid: 0x1700, exe: 'C:\\Windows\\System32\\cmd.exe' }, args: ['mshta', 'x'] } });
    expect(decode(evtx(SECURITY, 4689, { ...subject, ProcessId: '0x2ae4', ProcessName: 'C:\\Windows\\System32\\mshta.exe', Status: '0xc0000005' }))[0]).toMatchObject({ kind: 'process.exit', process: { pid: 0x2ae4 }, exitCode: 0xc0000005 | 0 });
    expect(decode(evtx(SECURITY, 4663, subject))).toEqual([]);
  });

  it('System 7045 / 7040 (with evtx_dump qualifiers on the id), PowerShell 4104, WMI-Activity 5861, TaskScheduler 106/140/141', () => {
    const scm = evtx('Service Control Manager', 0, { ServiceName: 'evil', ImagePath: 'C:\\e.exe', StartType: 'auto start', AccountName: 'LocalSystem' });
    (scm.Event.System as Record<string, unknown>)['EventID'] = { '#attributes': { Qualifiers: 16384 }, '#text': 7045 };
    expect(decode(scm)[0]).toMatchObject({ kind: 'service.create', process: { pid: 664, exe: '' }, service: { name: 'evil', command: 'C:\\e.exe', startType: 'auto', user: 'LocalSystem' } });
    expect(decode(evtx('Service Control Manager', 7040, { param1: 'Background Intelligent Transfer Service', param2: 'demand start', param3: 'auto start', param4: 'BITS' }))[0]).toMatchObject({ kind: 'service.modify', service: { name: 'BITS', startType: 'auto' } });
    const long = 'x'.repeat(70_000);
    expect(decode(evtx('Microsoft-Windows-PowerShell', 4104, { MessageNumber: 1, MessageTotal: 1, ScriptBlockText: long, ScriptBlockId: 'id', Path: '' }))[0]).toMatchObject({ kind: 'script.content', script: { interpreter: 'powershell', truncated: true, content: 'x'.repeat(65_536) } });
    const wmi = evtx('Microsoft-Windows-WMI-Activity', 5861, {}, { EventData: undefined, UserData: { Operation_ESStoConsumerBinding: { Namespace: '//./root/subscription', ESS: 'f', CONSUMER: 'CommandLineEventConsumer="c"', PossibleCause: 'Binding' } } });
    expect(decode(wmi)[0]).toMatchObject({ kind: 'wmi.binding', wmi: { name: 'CommandLineEventConsumer="c"', filter: 'f', namespace: '//./root/subscription' } });
    const ts = (id: number) => decode(evtx('Microsoft-Windows-TaskScheduler', id, { TaskName: '\\T', UserContext: 'HOST\\alice' }))[0];
    expect(ts(106)).toMatchObject({ kind: 'task.create', task: { name: '\\T', user: 'HOST\\alice' } });
    expect(ts(140)?.kind).toBe('task.modify');
    expect(ts(141)?.kind).toBe('task.delete');
    expect(decode(evtx('Microsoft-Windows-Eventlog', 1102, {}))).toEqual([]);
  });

  it('winlog-json reads the same record from flat fields (hex ids, string numbers)', () => {
    const [e] = decode({ SourceName: SYSMON, Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 11, Hostname: 'WS5', TimeCreated: '2020-10-22T02:57:59.857Z', ProcessId: '10980', Image: 'C:\\x.exe', TargetFilename: 'C:\\t', UtcTime: '2020-10-22 06:57:59.855', Message: 'File created' }, winlogJsonFormat);
    expect(e).toMatchObject({ kind: 'file.create', time: Date.UTC(2020, 9, 22, 6, 57, 59, 855), process: { pid: 10980 }, raw: { windows: { computer: 'WS5', channel: 'Microsoft-Windows-Sysmon/Operational', TargetFilename: 'C:\\t' } } });
    expect(e?.raw?.windows).not.toHaveProperty('Message');
  });

  it('names the problem of a record that is not a Windows event', () => {
    expect(() => decode({ nope: 1 })).toThrow(/not an evtx_dump event/);
    expect(() => decode({ Event: { System: { Provider: { '#attributes': { Name: SYSMON } }, EventID: 'x' } } })).toThrow(/EventID "x" is not a number/);
    expect(() => decode(evtx(SYSMON, 1, { Image: 'C:\\x.exe' }))).toThrow(/Sysmon 1: ProcessId is missing|Microsoft-Windows-Sysmon 1: ProcessId is missing/);
    expect(() => decode(evtx(SYSMON, 1, { ProcessId: -3 }))).toThrow(/ProcessId -3 is not a non-negative integer/);
    expect(() => decode([1], winlogJsonFormat)).toThrow(/expected a JSON object/);
    expect(() => decode({ SourceName: SYSMON, EventID: 1, TimeCreated: 'yesterday' }, winlogJsonFormat)).toThrow(/TimeCreated "yesterday" is not a timestamp/);
  });
});
