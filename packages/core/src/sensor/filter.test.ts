import { describe, expect, it } from 'vitest';
import type { EdrEvent, Platform, Process } from '../events/schema.js';
import { compileFilter, type EventFilter } from './filter.js';

const SOURCE: Record<Platform, 'linux-ebpf' | 'windows-etw' | 'macos-es'> = { linux: 'linux-ebpf', windows: 'windows-etw', macos: 'macos-es' };
const exec = (platform: Platform, process: Partial<Process>): EdrEvent => ({
  kind: 'process.exec',
  time: 1,
  seq: 1,
  platform,
  source: SOURCE[platform],
  process: { pid: 10, ppid: 1, exe: '/bin/true', args: [], cmdline: '', ...process },
});
const file = (platform: Platform, path: string): EdrEvent => ({ ...(exec(platform, {}) as object), kind: 'file.create', file: { path } }) as EdrEvent;
const keeps = (filter: EventFilter, e: EdrEvent) => compileFilter(filter, -1).test(e);
const CMD = 'C:\\Windows\\System32\\cmd.exe';

describe('compileFilter: paths by the event platform', () => {
  it("exe 'c:\\windows\\system32\\*' matches C:\\Windows\\System32\\cmd.exe in Windows events only", () => {
    const f = { exe: ['c:\\windows\\system32\\*'] };
    expect(keeps(f, exec('windows', { exe: CMD }))).toBe(true);
    expect(keeps(f, exec('windows', { exe: 'C:\\Windows\\System32\\drivers\\x.exe' }))).toBe(false);
    expect(keeps(f, exec('windows', { exe: 'C:\\Windows\\SysWOW64\\cmd.exe' }))).toBe(false);
    expect(keeps(f, exec('linux', { exe: CMD }))).toBe(false);
    expect(keeps(f, exec('macos', { exe: '/c:/windows/system32/cmd.exe' }))).toBe(false);
  });
  it('Windows prefixes and names are case-insensitive, with either separator', () => {
    expect(keeps({ exe: ['C:/windows/'] }, exec('windows', { exe: CMD }))).toBe(true);
    expect(keeps({ names: ['CMD.EXE'] }, exec('windows', { exe: CMD }))).toBe(true);
    expect(keeps({ names: ['cmd.exe'] }, exec('linux', { exe: '/opt/CMD.EXE' }))).toBe(false);
    expect(keeps({ names: ['b'] }, exec('linux', { exe: '/tmp/a\\b' }))).toBe(false); // a POSIX name may hold \
    expect(keeps({ paths: ['c:\\users\\*\\appdata\\**'] }, file('windows', 'C:\\Users\\alice\\AppData\\Roaming\\x.dll'))).toBe(true);
  });
  it('macOS is case-insensitive unless macosCaseSensitive', () => {
    expect(keeps({ exe: ['/applications/'] }, exec('macos', { exe: '/Applications/Safari.app/Contents/MacOS/Safari' }))).toBe(true);
    expect(keeps({ exe: ['/applications/'], macosCaseSensitive: true }, exec('macos', { exe: '/Applications/Safari.app/Contents/MacOS/Safari' }))).toBe(false);
    expect(keeps({ exe: ['/usr/BIN/'] }, exec('linux', { exe: '/usr/bin/ls' }))).toBe(false);
  });
});

describe('compileFilter: users by uid, SID or name', () => {
  const alice = { sid: 'S-1-5-21-1-2-3-1001', user: 'DESKTOP-7Q2\\alice' };
  it('matches uids, SIDs (any case) and names (Windows: any case, with or without the domain)', () => {
    expect(keeps({ users: ['0'] }, exec('linux', { uid: 0, user: 'root' }))).toBe(true);
    expect(keeps({ users: ['root'] }, exec('linux', { uid: 0, user: 'root' }))).toBe(true);
    expect(keeps({ users: ['Root'] }, exec('linux', { uid: 0, user: 'root' }))).toBe(false);
    expect(keeps({ users: ['s-1-5-21-1-2-3-1001'] }, exec('windows', alice))).toBe(true);
    expect(keeps({ users: ['ALICE'] }, exec('windows', alice))).toBe(true);
    expect(keeps({ users: ['desktop-7q2\\Alice'] }, exec('windows', alice))).toBe(true);
    expect(keeps({ users: ['bob', 'S-1-5-18'] }, exec('windows', alice))).toBe(false);
    expect(keeps({ users: ['1001'] }, exec('windows', alice))).toBe(false); // a SID's RID is not a uid
  });
  it('excludeUsers drops, events without the field pass it', () => {
    expect(keeps({ excludeUsers: ['S-1-5-18'] }, exec('windows', { sid: 'S-1-5-18', user: 'NT AUTHORITY\\SYSTEM' }))).toBe(false);
    expect(keeps({ excludeUsers: ['system'] }, exec('windows', { sid: 'S-1-5-18', user: 'NT AUTHORITY\\SYSTEM' }))).toBe(false);
    expect(keeps({ excludeUsers: ['S-1-5-18'] }, exec('linux', { uid: 0 }))).toBe(true);
  });
  it('rejects entries that are no uid, SID or name, naming the option', () => {
    expect(() => compileFilter({ users: [''] })).toThrow(/filter\.users: "" is not a uid, SID or user name/);
    expect(() => compileFilter({ excludeUsers: [7 as unknown as string] })).toThrow(/filter\.excludeUsers: 7/);
    expect(() => compileFilter({ users: ['99999999999999999999'] })).toThrow(/filter\.users: uid 99999999999999999999 is out of range/);
    expect(() => compileFilter({ exe: ['/tmp/[z-a]'] })).toThrow(/filter\.exe: glob/);
  });
});
