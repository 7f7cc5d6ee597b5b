// The Endpoint Security addon's message conversion (native/macos/src/es_record.c), compiled on
// Linux against stub ES headers written from Apple's documented structures: es_message_t
// values built like ES builds them become records that the eslogger decoder maps to the right
// events. And addon.c itself type-checks (clang -fblocks) against the same stubs.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { safeParseEvent, type EdrEvent } from '@edrkit/core';
import { ADDON_ES_EVENTS, EsMessageDecoder, ES_NOTIFY_EVENTS } from '@edrkit/macos';
import { describe, expect, it } from 'vitest';
import { NATIVE, STUBS, nodeHeaders, runRecordDriver } from './es-native.js';

function decodeAll(out: string): EdrEvent[] {
  const decoder = new EsMessageDecoder({ source: 'macos-es' });
  const events: EdrEvent[] = [];
  out
    .split('\n')
    .filter((l) => l && !l.startsWith('skipped'))
    .forEach((l, i) => {
      for (const d of decoder.decode(JSON.parse(l), { input: 'driver', record: i + 1, line: i + 1 }).events) {
        const r = safeParseEvent({ ...d, seq: i });
        if (!r.ok) throw r.error;
        events.push(r.event);
      }
    });
  return events;
}

describe('es_record.c (compiled against the stub ES headers)', () => {
  it('converts the ES event types the JS side expects, with their es_event_type_t values', () => {
    expect(runRecordDriver(['--list']).trim().split('\n')).toEqual([...ADDON_ES_EVENTS]);
    for (const l of runRecordDriver().split('\n').filter((x) => x.startsWith('{'))) {
      const m = JSON.parse(l) as { event_type: number; event: Record<string, unknown> };
      expect(ES_NOTIFY_EVENTS[Object.keys(m.event)[0] as keyof typeof ES_NOTIFY_EVENTS]).toBe(m.event_type);
    }
  });

  it('every record decodes to the right event', () => {
    const out = runRecordDriver();
    expect(out.trim().split('\n').at(-1)).toBe('skipped 31'); // signal: not converted, nothing written
    const events = decodeAll(out);
    const time = Date.parse('2026-01-02T03:04:06.987Z') + 0.654;
    expect(events.map((e) => e.kind)).toEqual([
      'process.exec', 'process.fork', 'file.create', 'file.create', 'file.rename', 'file.modify', 'file.delete', 'file.attr', 'file.attr',
      'file.open', 'image.load', 'kmod.load', 'volume.mount', 'process.access', 'process.tamper', 'auth.failed', 'auth.logon', 'service.create',
      'account.create', 'auth.logon', 'auth.failed', 'auth.failed', 'auth.logon', 'auth.failed', 'account.modify', 'account.modify', 'process.exit',
    ]);
    const [exec, fork, created, existing, renamed, modified, deleted, mode, owner, open, image, kext, mount, access, tamper, ssh, unlock, daemon, account, sudoOk, sudoBad, su, screen, authFail, group, password, exit] = events as any[];
    expect(exec).toMatchObject({
      source: 'macos-es',
      time,
      process: {
        pid: 500,
        ppid: 1,
        uid: 501,
        gid: 20,
        tid: 777,
        exe: '/usr/bin/curl',
        args: ['curl', '-s', 'https://example.com/"q"', 'tab\there'],
        cwd: '/Users/alice',
        startTime: Date.parse('2026-01-02T03:04:05.123Z') + 0.456,
        signer: { id: 'com.apple.curl', platformBinary: true, cdhash: 'a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3' },
      },
      raw: { macos: { preExec: { exe: '/bin/zsh', signer: { id: 'com.apple.zsh' } }, auditToken: { pid: 500, pidversion: 2 } } },
    });
    expect(fork).toMatchObject({ child: { pid: 501 }, process: { pid: 500, args: ['curl', '-s', 'https://example.com/"q"', 'tab\there'] } });
    expect(created.file.path).toBe('/tmp/we"ird\\name\n.txt');
    expect(existing.file.path).toBe('/tmp/existing');
    expect(renamed).toMatchObject({ file: { path: '/tmp/a' }, target: { path: '/tmp/dir/b' } });
    expect(modified.file.path).toBe('/tmp/written');
    expect(deleted.file.path).toBe('/tmp/gone');
    expect(mode).toMatchObject({ mode: 0o4755, file: { path: '/tmp/suid' } });
    expect(owner).toMatchObject({ owner: { uid: 0, gid: 0 } });
    expect(open).toMatchObject({ file: { path: '/etc/hosts' }, flags: ['read', 'write', 'create'] });
    expect(image.image.path).toBe('/usr/lib/libexample.dylib');
    expect(kext.module.name).toBe('com.example.kext');
    expect(mount.volume).toEqual({ mountPoint: '/Volumes/USB', device: '/dev/disk4s1', fsType: 'msdos', removable: true, readOnly: false });
    expect(access).toMatchObject({ target: { pid: 500, exe: '/bin/zsh' }, access: { rights: ['task-port', 'memory-read'] } });
    expect(tamper).toMatchObject({ technique: 'remote-thread', target: { pid: 500 } });
    expect(ssh.auth).toEqual({ user: 'mallory', method: 'ssh', remote: { ip: '192.0.2.7' }, reason: 'auth failed: password' });
    expect(unlock.auth).toEqual({ user: 'alice', method: 'screensaver', terminal: 'console', session: '257' });
    expect(daemon.service).toEqual({ name: 'com.evil', path: '/Library/LaunchDaemons/com.evil.plist', command: '/usr/local/bin/evil', user: '0' });
    expect(account.account).toEqual({ name: 'newbie' });
    expect(sudoOk).toMatchObject({ auth: { user: 'root', uid: 0, method: 'sudo' }, raw: { macos: { fromUser: 'alice', command: '/bin/ls /var/root' } } });
    expect(sudoBad.auth).toEqual({ user: '', method: 'sudo', reason: 'incorrect password' });
    expect(su.auth).toEqual({ user: '', method: 'su', reason: 'Sorry' });
    expect(screen.auth).toEqual({ user: 'dave', method: 'screensharing', remote: { ip: '2001:db8::9' } });
    expect(authFail.auth).toEqual({ user: 'eve', method: 'opendirectory', reason: 'authentication failed' });
    expect(group).toMatchObject({ account: { name: 'alice' }, raw: { macos: { group: 'admin', groupChange: 'added' } } });
    expect(password.account).toEqual({ name: 'alice', changes: { password: true } });
    // Message version 1: no sequence numbers, thread or process start time — and none invented.
    expect(exit).toMatchObject({ kind: 'process.exit', exitCode: 1, raw: { macos: { esVersion: 1 } } });
    expect(exit.process).not.toHaveProperty('startTime');
    expect(exit.process).not.toHaveProperty('tid');
  });

  // On macOS the real SDK is there and macos.yml compiles the addon for real; these shims are for Linux.
  it.skipIf(process.platform === 'darwin')('addon.c type-checks with blocks against the stubs', () => {
    const headers = nodeHeaders();
    if (!headers) throw new Error(`no node_api.h found for Node ${process.versions.node} (install the headers: 'npx node-gyp install')`);
    execFileSync('clang', ['-std=gnu11', '-fblocks', '-Wall', '-Wextra', '-Wno-unused-parameter', '-Werror', '-fsyntax-only', `-I${STUBS}`, `-I${path.join(STUBS, 'addon-shims')}`, `-I${headers}`, '-DNODE_GYP_MODULE_NAME=edrkit_macos', '-DNAPI_VERSION=8', path.join(NATIVE, 'src/addon.c')], { stdio: 'pipe' });
  });
});
