import fc from 'fast-check';
import pc from 'picocolors';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseEvent, type EdrEvent } from '@edrkit/core';
import { formatPretty, safe } from './pretty.js';

const plain = pc.createColors(false);
const proc = { pid: 7, ppid: 1, exe: '/usr/bin/sh', args: ['sh'], cmdline: 'sh' };

describe('pretty format', () => {
  it('escapes control characters: one event is one line, no terminal escapes', () => {
    const evil: EdrEvent = {
      kind: 'process.exec', time: 0, seq: 1, platform: 'linux', source: 'linux-ebpf',
      process: { ...proc, cmdline: 'sh -c "a\nb"\u001b[2J\u001b]0;owned\u0007', parent: { pid: 1, exe: '/x\rinit' } },
    };
    const line = formatPretty(evil, plain);
    expect(line).not.toMatch(/[\u0000-\u001f]/);
    expect(line).toContain('sh -c "a\\nb"\\x1b[2J\\x1b]0;owned\\x07 ← /x\\rinit(1)');
  });

  it('names the process by the basename of its platform (a Windows image is cmd.exe, not its whole path)', () => {
    const win: EdrEvent = {
      kind: 'process.exec', time: 0, seq: 1, platform: 'windows', source: 'replay',
      process: { pid: 4, ppid: 1, exe: 'C:\\Windows\\System32\\cmd.exe', args: ['cmd.exe'], cmdline: 'cmd.exe /c ver' },
    };
    expect(formatPretty(win, plain)).toMatch(/ 4 cmd\.exe {13}/);
  });

  it('fuzz: any string stays printable and one line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(safe(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }),
    );
  });

  it('shows the essential payload per kind', () => {
    const base = { time: Date.UTC(2026, 0, 1, 12, 0, 0, 5), seq: 1, platform: 'linux', source: 'linux-ebpf', process: proc } as const;
    expect(formatPretty({ ...base, kind: 'file.attr', file: { path: '/tmp/x' }, mode: 0o755 }, plain)).toMatch(/file\.attr\s+7 sh\s+\/tmp\/x mode 0755$/);
    expect(formatPretty({ ...base, kind: 'process.exit', signal: 9 }, plain)).toMatch(/signal 9$/);
    expect(formatPretty({ ...base, kind: 'dns.query', dns: { query: 'example.org', type: 'AAAA' } }, plain)).toMatch(/AAAA example\.org$/);
    const ids = { uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0 };
    const caps = (effective: string) => ({ effective, permitted: effective, inheritable: '0000000000000000' });
    expect(
      formatPretty({ ...base, kind: 'process.credentials', credentials: { operation: 'setresuid', before: ids, after: { ...ids, uid: 65534, euid: 65534, suid: 65534, fsuid: 65534 }, capabilities: { before: caps('000001ffffffffff'), after: caps('0000000000000000') } } }, plain),
    ).toMatch(/process\.credentials\s+7 sh\s+setresuid uid 0→65534 euid 0→65534 suid 0→65534 fsuid 0→65534 cap\.effective 000001ffffffffff→0000000000000000 cap\.permitted 000001ffffffffff→0000000000000000$/);
    expect(formatPretty({ ...base, kind: 'process.credentials', credentials: { operation: 'setgroups', before: { ...ids, groups: [0] }, after: { ...ids, groups: [] } } }, plain)).toMatch(/setgroups groups \[0\]→\[\]$/);
    expect(formatPretty({ ...base, kind: 'net.connect', net: { protocol: 'udp', family: 'ipv6', local: { ip: '::1', port: 5 }, remote: { ip: '::1', port: 53 } } }, plain)).toMatch(/udp \[::1\]:5 → \[::1\]:53$/);
  });

  it('formats every model v1.1 kind of the test recording as one line with its payload', () => {
    const text = readFileSync(new URL('../../../test/fixtures/model-v1.1.jsonl', import.meta.url), 'utf8');
    const events = text.trim().split('\n').map((l) => parseEvent(JSON.parse(l)));
    for (const e of events) {
      const line = formatPretty(e, plain);
      expect(line, e.kind).not.toMatch(/\n|undefined/);
      expect(line.length, e.kind).toBeGreaterThan(40);
    }
    const by = (kind: string) => formatPretty(events.find((e) => e.kind === kind)!, plain);
    expect(by('auth.logon')).toMatch(/alice via sshd on pts\/3 from 198\.51\.100\.23:52144$/);
    expect(by('process.access')).toMatch(/lsass\.exe\(640\) memory-read,query$/);
    expect(by('sensor.start')).toMatch(/linux-ebpf edrkit 0\.1\.0 model v1\.1$/);
  });
});
