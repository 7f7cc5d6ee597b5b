/**
 * One realistic event of every v1 kind (values modelled on real eslogger, Sysmon and
 * Tetragon records), used by the export tests. Each passes `parseEvent`.
 */
import { readFileSync } from 'node:fs';
import { EVENT_KINDS, V1_0_KINDS, V1_1_KINDS, parseEvent, type EdrEvent, type EventKind, type Process } from '@edrkit/core';

const linuxShell: Process = {
  pid: 4242,
  ppid: 4100,
  uid: 1000,
  gid: 1000,
  user: 'alice',
  exe: '/usr/bin/curl',
  args: ['curl', '-s', 'https://example.org/install.sh'],
  cmdline: 'curl -s https://example.org/install.sh',
  cwd: '/home/alice',
  startTime: 1714564800123.456,
  tid: 4242,
  container: { id: '3f4e5d6c7b8a' },
  parent: { pid: 4100, exe: '/usr/bin/bash', cmdline: '-bash', startTime: 1714564700000.5 },
};

const windowsProc: Process = {
  pid: 6312,
  ppid: 5120,
  sid: 'S-1-5-21-3623811015-3361044348-30300820-1013',
  user: 'CORP\\bob',
  exe: 'C:\\Windows\\System32\\reg.exe',
  args: ['reg.exe', 'add', 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', '/v', 'upd', '/d', 'C:\\Users\\bob\\upd.exe'],
  cmdline: 'reg.exe add "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run" /v upd /d C:\\Users\\bob\\upd.exe',
  startTime: 1714564801000,
  signer: { id: 'Microsoft Windows' },
  parent: { pid: 5120, exe: 'C:\\Windows\\System32\\cmd.exe', cmdline: 'cmd.exe /c run.bat' },
};

const macProc: Process = {
  pid: 901,
  ppid: 1,
  uid: 0,
  gid: 0,
  user: 'root',
  exe: '/usr/sbin/kextload',
  args: ['kextload', '/Library/Extensions/Evil.kext'],
  cmdline: 'kextload /Library/Extensions/Evil.kext',
  signer: { id: 'com.apple.kextload', teamId: 'APPLE', platformBinary: true },
};

const lin = { platform: 'linux', source: 'linux-ebpf', process: linuxShell } as const;
const win = { platform: 'windows', source: 'windows-etw', process: windowsProc } as const;
const mac = { platform: 'macos', source: 'macos-es', process: macProc } as const;

let seq = 0;
const t = (n: number) => 1714564802000 + n + 0.25;

const raw: Array<Record<string, unknown>> = [
  { kind: 'process.exec', ...lin, raw: { linux: { cgroupId: 7788 } } },
  { kind: 'process.fork', ...lin, child: { pid: 4243, startTime: 1714564802001.5 } },
  { kind: 'process.exit', ...lin, exitCode: 0, signal: 9 },
  { kind: 'file.create', ...lin, file: { path: '/tmp/install.sh' } },
  { kind: 'file.open', ...lin, file: { path: '/etc/shadow' }, flags: ['read'] },
  { kind: 'file.modify', ...win, file: { path: 'C:\\Users\\bob\\AppData\\Roaming\\upd.exe' } },
  { kind: 'file.delete', ...mac, file: { path: '/private/var/log/system.log' } },
  { kind: 'file.rename', ...lin, file: { path: '/tmp/x.part' }, target: { path: '/usr/local/bin/x' } },
  { kind: 'file.attr', ...lin, file: { path: '/usr/local/bin/x' }, mode: 0o4755, owner: { uid: 0, gid: 0 } },
  { kind: 'net.connect', ...lin, net: { protocol: 'tcp', family: 'ipv4', local: { ip: '10.0.0.5', port: 51512 }, remote: { ip: '93.184.216.34', port: 443 } } },
  { kind: 'net.accept', ...lin, net: { protocol: 'tcp', family: 'ipv6', local: { ip: '::1', port: 22 }, remote: { ip: 'fe80::1', port: 50222 } } },
  { kind: 'net.listen', ...win, net: { protocol: 'udp', family: 'ipv4', local: { ip: '0.0.0.0', port: 5353 }, remote: { ip: '0.0.0.0', port: 0 } } },
  { kind: 'dns.query', ...win, dns: { query: 'evil.example.com', type: 'A', answers: ['203.0.113.7', 'cdn.example.net'] } },
  { kind: 'image.load', ...win, image: { path: 'C:\\Windows\\System32\\amsi.dll' } },
  { kind: 'kmod.load', ...mac, module: { name: 'com.evil.kext', path: '/Library/Extensions/Evil.kext' } },
  { kind: 'registry.set', ...win, registry: { key: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', value: 'upd', data: 'C:\\Users\\bob\\upd.exe', dataType: 'REG_SZ' } },
  { kind: 'registry.create', ...win, registry: { key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\evil' } },
  { kind: 'registry.delete', ...win, registry: { key: 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender', value: 'DisableAntiSpyware' } },
  { kind: 'registry.rename', ...win, registry: { key: 'HKLM\\SOFTWARE\\Old' }, target: { key: 'HKLM\\SOFTWARE\\New' } },
  { kind: 'sensor.lost', platform: 'linux', source: 'linux-ebpf', lost: { count: 17, reason: 'ring buffer full', stage: 'kernel' } },
];

/** The model v1.1 recording (test/fixtures), which has every kind added in v1.1. */
export const V11_RECORDING: readonly EdrEvent[] = readFileSync(new URL('../fixtures/model-v1.1.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l, i) => parseEvent(JSON.parse(l), { line: i + 1, input: 'model-v1.1.jsonl' }));

const v10 = raw.map((r, i) => parseEvent({ ...r, time: t(i), seq: seq++ }));
const v11 = V1_1_KINDS.filter((k) => !V1_0_KINDS.includes(k)).map((k) => {
  const e = V11_RECORDING.find((x) => x.kind === k);
  if (!e) throw new Error(`test/fixtures/model-v1.1.jsonl has no ${k} event`);
  return e;
});

/** The model v1.2 recording (test/fixtures), which has the kind added in v1.2. */
export const V12_RECORDING: readonly EdrEvent[] = readFileSync(new URL('../fixtures/model-v1.2.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l, i) => parseEvent(JSON.parse(l), { line: i + 1, input: 'model-v1.2.jsonl' }));

const v12 = EVENT_KINDS.filter((k) => !V1_1_KINDS.includes(k)).map((k) => {
  // The setresuid that drops root: ids and capabilities both change.
  const e = V12_RECORDING.find((x) => x.kind === k && x.kind === 'process.credentials' && x.credentials.operation === 'setresuid');
  if (!e) throw new Error(`test/fixtures/model-v1.2.jsonl has no ${k} event`);
  return e;
});

/** One sample event per kind, in EVENT_KINDS order. */
export const SAMPLES: readonly EdrEvent[] = [...v10, ...v11, ...v12];

/** The sample of `kind`. */
export function sampleOf<K extends EventKind>(kind: K): Extract<EdrEvent, { kind: K }> {
  const e = SAMPLES.find((s) => s.kind === kind);
  if (!e) throw new Error(`no sample for ${kind}`);
  return e as Extract<EdrEvent, { kind: K }>;
}
