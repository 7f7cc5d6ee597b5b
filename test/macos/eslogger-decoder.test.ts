// Every ES event the decoder maps, from messages written for the test, in both audit-token
// forms; sequence gaps; unknown events and fields; bad records named by path.
import { safeParseEvent, type EventDraft } from '@edrkit/core';
import { EsMessageDecoder, EsRecordError } from '@edrkit/macos';
import { describe, expect, it } from 'vitest';
import { file, message, proc, type Json } from './es-messages.js';

function decode(name: string, body: Json, version = 9): EventDraft[] {
  const events = new EsMessageDecoder().decode(message(name, body, { version }), { input: 't', record: 1, line: 1 }).events;
  for (const e of events) {
    const r = safeParseEvent({ ...e, seq: 0 });
    expect(r.ok ? '' : r.error.message).toBe('');
  }
  return events;
}

const target = (v: number) => proc('/usr/bin/victim', { pid: 300 }, v);

describe.each([9, 10])('eslogger message version %i', (v) => {
  const cases: Array<[string, Json, Partial<EventDraft> & Record<string, unknown>]> = [
    ['create', { destination_type: 1, destination: { new_path: { dir: file('/tmp'), filename: 'new.txt', mode: 420 } } }, { kind: 'file.create', file: { path: '/tmp/new.txt' } }],
    ['create', { destination_type: 0, destination: { existing_file: file('/tmp/old.txt') } }, { kind: 'file.create', file: { path: '/tmp/old.txt' } }],
    ['write', { target: file('/tmp/w') }, { kind: 'file.modify', file: { path: '/tmp/w' } }],
    ['close', { modified: true, target: file('/tmp/c') }, { kind: 'file.modify', file: { path: '/tmp/c' } }],
    ['truncate', { target: file('/tmp/t') }, { kind: 'file.modify', file: { path: '/tmp/t' } }],
    ['rename', { source: file('/tmp/a'), destination_type: 1, destination: { new_path: { dir: file('/tmp/'), filename: 'b' } } }, { kind: 'file.rename', file: { path: '/tmp/a' }, target: { path: '/tmp/b' } }],
    ['rename', { source: file('/tmp/a'), destination_type: 0, destination: { existing_file: file('/tmp/c') } }, { kind: 'file.rename', file: { path: '/tmp/a' }, target: { path: '/tmp/c' } }],
    ['unlink', { target: file('/tmp/gone'), parent_dir: file('/tmp') }, { kind: 'file.delete', file: { path: '/tmp/gone' } }],
    ['link', { source: file('/tmp/a'), target_dir: file('/tmp'), target_filename: 'hard' }, { kind: 'file.create', file: { path: '/tmp/hard' }, raw: { macos: expect.objectContaining({ linkSource: '/tmp/a' }) } }],
    ['setmode', { target: file('/tmp/m'), mode: 0o104755 }, { kind: 'file.attr', file: { path: '/tmp/m' }, mode: 0o4755 }],
    ['setowner', { target: file('/tmp/o'), uid: 0, gid: 80 }, { kind: 'file.attr', owner: { uid: 0, gid: 80 } }],
    ['setflags', { target: file('/tmp/f'), flags: 2 }, { kind: 'file.attr', raw: { macos: expect.objectContaining({ change: 'setflags', flags: 2 }) } }],
    ['setextattr', { target: file('/tmp/x'), extattr: 'com.apple.quarantine' }, { kind: 'file.attr', raw: { macos: expect.objectContaining({ extattr: 'com.apple.quarantine' }) } }],
    ['deleteextattr', { target: file('/tmp/x'), extattr: 'com.apple.quarantine' }, { kind: 'file.attr', raw: { macos: expect.objectContaining({ change: 'deleteextattr' }) } }],
    ['open', { fflag: 0x2 | 0x200 | 0x400, file: file('/tmp/o') }, { kind: 'file.open', flags: ['write', 'create', 'truncate'] }],
    ['mmap', { protection: 5, max_protection: 7, flags: 1, file_pos: 0, source: file('/usr/lib/libx.dylib') }, { kind: 'image.load', image: { path: '/usr/lib/libx.dylib' } }],
    ['kextload', { identifier: 'com.example.driver' }, { kind: 'kmod.load', module: { name: 'com.example.driver' } }],
    ['mount', { statfs: { f_mntonname: '/Volumes/USB', f_mntfromname: '/dev/disk4s1', f_fstypename: 'msdos', f_flags: 0x200 | 0x1 | 0x1000 } }, { kind: 'volume.mount', volume: { mountPoint: '/Volumes/USB', device: '/dev/disk4s1', fsType: 'msdos', removable: true, readOnly: true } }],
    ['unmount', { statfs: { f_mntonname: '/Volumes/DMG', f_mntfromname: '/dev/disk5s1', f_fstypename: 'apfs', f_flags: 0x1000 } }, { kind: 'volume.unmount', volume: { mountPoint: '/Volumes/DMG', removable: false, readOnly: false } }],
    ['get_task', { target: target(v), type: 1 }, { kind: 'process.access', target: { pid: 300, exe: '/usr/bin/victim', startTime: Date.parse('2026-01-02T03:04:05.123Z') + 0.456 }, access: { rights: ['task-port', 'memory-write', 'memory-read'] } }],
    ['get_task_read', { target: target(v), type: 1 }, { kind: 'process.access', access: { rights: ['task-port', 'memory-read'] } }],
    ['trace', { target: target(v) }, { kind: 'process.access', access: { rights: ['ptrace-attach'] } }],
    ['remote_thread_create', { target: target(v), thread_state: null }, { kind: 'process.tamper', technique: 'remote-thread', target: { pid: 300 } }],
    ['lw_session_login', { username: 'alice', graphical_session_id: 257 }, { kind: 'auth.logon', auth: { user: 'alice', method: 'loginwindow', terminal: 'console', session: '257' } }],
    ['lw_session_lock', { username: 'alice', graphical_session_id: 257 }, { kind: 'auth.logoff', auth: { user: 'alice', method: 'screensaver', terminal: 'console', session: '257' } }],
    ['lw_session_unlock', { username: 'alice', graphical_session_id: 257 }, { kind: 'auth.logon', auth: { user: 'alice', method: 'screensaver', terminal: 'console', session: '257' } }],
    ['login_login', { success: false, failure_message: 'bad password', username: 'bob', has_uid: false }, { kind: 'auth.failed', auth: { user: 'bob', method: 'login', reason: 'bad password' } }],
    ['login_logout', { username: 'bob', uid: 502 }, { kind: 'auth.logoff', auth: { user: 'bob', method: 'login', uid: 502 } }],
    ['openssh_login', { success: true, result_type: 2, source_address_type: 1, source_address: '192.0.2.7', username: 'carol', has_uid: true, uid: { uid: 503 } }, { kind: 'auth.logon', auth: { user: 'carol', method: 'ssh', uid: 503, remote: { ip: '192.0.2.7' } } }],
    ['openssh_login', { success: false, result_type: 4, source_address_type: 2, source_address: '2001:db8::1', username: 'mallory', has_uid: false }, { kind: 'auth.failed', auth: { user: 'mallory', method: 'ssh', remote: { ip: '2001:db8::1' }, reason: 'auth failed: password' } }],
    ['openssh_logout', { source_address_type: 1, source_address: '192.0.2.7', username: 'carol', uid: 503 }, { kind: 'auth.logoff', auth: { user: 'carol', method: 'ssh' } }],
    ['screensharing_attach', { success: true, source_address_type: 1, source_address: '192.0.2.9', viewer_appleid: null, authentication_type: 'password', authentication_username: 'dave', session_username: 'dave', existing_session: false, graphical_session_id: 1 }, { kind: 'auth.logon', auth: { user: 'dave', method: 'screensharing', remote: { ip: '192.0.2.9' } } }],
    ['sudo', { success: true, reject_info: null, has_from_uid: true, from_uid: 501, from_username: 'alice', has_to_uid: true, to_uid: 0, to_username: 'root', command: '/bin/ls' }, { kind: 'auth.logon', auth: { user: 'root', uid: 0, method: 'sudo' }, raw: { macos: expect.objectContaining({ fromUser: 'alice', command: '/bin/ls' }) } }],
    ['sudo', { success: false, reject_info: { plugin_name: 'sudoers', plugin_type: 2, failure_message: 'incorrect password' }, has_to_uid: false, to_username: null }, { kind: 'auth.failed', auth: { user: '', method: 'sudo', reason: 'incorrect password' } }],
    ['su', { success: true, failure_message: null, from_uid: 501, from_username: 'alice', has_to_uid: true, to_uid: 0, to_username: 'root', shell: '/bin/sh' }, { kind: 'auth.logon', auth: { user: 'root', method: 'su', uid: 0 } }],
    ['authentication', { success: false, type: 0, data: { od: { instigator: null, record_type: 'user', record_name: 'eve', node_name: '/Local/Default', db_path: null } } }, { kind: 'auth.failed', auth: { user: 'eve', method: 'opendirectory' } }],
    ['od_create_user', { instigator: null, error_code: 0, user_name: 'newbie', node_name: '/Local/Default', db_path: null }, { kind: 'account.create', account: { name: 'newbie' } }],
    ['od_delete_user', { instigator: null, error_code: 0, user_name: 'newbie', node_name: '/Local/Default' }, { kind: 'account.delete', account: { name: 'newbie' } }],
    ['od_modify_password', { instigator: null, error_code: 0, account_type: 0, account_name: 'alice', node_name: '/Local/Default' }, { kind: 'account.modify', account: { name: 'alice', changes: { password: true } } }],
    ['od_disable_user', { instigator: null, error_code: 0, user_name: 'alice', node_name: '/Local/Default' }, { kind: 'account.modify', account: { name: 'alice', changes: { enabled: false } } }],
    ['od_group_add', { instigator: null, error_code: 0, group_name: 'admin', member: { member_type: 0, member_value: { name: 'alice' } }, node_name: '/Local/Default' }, { kind: 'account.modify', account: { name: 'alice' }, raw: { macos: expect.objectContaining({ group: 'admin', groupChange: 'added' }) } }],
    ['btm_launch_item_add', { instigator: null, app: null, item: { item_type: 4, legacy: true, managed: false, uid: 0, item_url: 'file:///Library/LaunchDaemons/com.evil.persist.plist', app_url: null }, executable_path: '/usr/local/bin/evil' }, { kind: 'service.create', service: { name: 'com.evil.persist', path: '/Library/LaunchDaemons/com.evil.persist.plist', command: '/usr/local/bin/evil', user: '0' } }],
    ['btm_launch_item_add', { instigator: null, app: null, item: { item_type: 3, legacy: true, managed: false, uid: 501, item_url: 'file:///Users/alice/Library/LaunchAgents/com.x.agent.plist' }, executable_path: '/Users/alice/x' }, { kind: 'task.create', task: { name: 'com.x.agent', path: '/Users/alice/Library/LaunchAgents/com.x.agent.plist', command: '/Users/alice/x', scheduler: 'launchd', user: '501' } }],
    ['btm_launch_item_remove', { instigator: null, app: null, item: { item_type: 2, legacy: false, managed: false, uid: 501, item_url: 'file:///Applications/X.app/Contents/Library/LoginItems/Helper.app' } }, { kind: 'task.delete', task: { name: 'Helper.app', scheduler: 'launchd' } }],
  ];
  it.each(cases)('%s → %o', (name, body, expected) => {
    const events = decode(name, body, v);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ platform: 'macos', source: 'macos-eslogger', process: { pid: 100, exe: '/bin/zsh', tid: 4242 }, ...expected });
  });

  it.each([
    ['close', { modified: false, target: file('/tmp/r') }],
    ['mmap', { protection: 1, max_protection: 3, flags: 1, source: file('/tmp/data') }],
    ['authentication', { success: true, type: 1, data: { touchid: { touchid_mode: 0, has_uid: true, uid: 501 } } }],
    ['od_create_user', { instigator: null, error_code: 5, user_name: 'x', node_name: '/Local/Default' }],
    ['xp_malware_detected', { signature_version: '5270', malware_identifier: 'OSX.Example', incident_identifier: 'i', detected_path: '/tmp/m' }],
    ['a_future_event', { anything: [1, 2, 3] }],
  ])('%s maps to nothing (not an edrkit event)', (name, body) => {
    expect(decode(name, body as Json, v)).toEqual([]);
  });
});

describe('process state across messages', () => {
  it('argv of an exec follows its process into later events and forked children', () => {
    const d = new EsMessageDecoder();
    const where = { input: 't', record: 1, line: 1 };
    const execd = proc('/usr/bin/curl', { pid: 200, pidversion: 7 }, 9);
    d.decode(message('exec', { target: execd, args: ['curl', '-s', 'https://example.com'], cwd: file('/tmp') }, { actor: proc('/bin/zsh', { pid: 200, pidversion: 6 }, 9) }), where);
    const [w] = d.decode(message('write', { target: file('/tmp/out') }, { actor: execd }), where).events;
    expect((w as Extract<EventDraft, { kind: 'file.modify' }>).process).toMatchObject({ args: ['curl', '-s', 'https://example.com'], cmdline: 'curl -s https://example.com', cwd: '/tmp' });
    const child = proc('/usr/bin/curl', { pid: 201, pidversion: 9 }, 9);
    d.decode(message('fork', { child }, { actor: execd }), where);
    const [x] = d.decode(message('exit', { stat: 256 }, { actor: child }), where).events;
    expect(x).toMatchObject({ kind: 'process.exit', exitCode: 1, process: { pid: 201, args: ['curl', '-s', 'https://example.com'] } });
  });

  it('an executable mapping is one image.load per process execution and file', () => {
    const d = new EsMessageDecoder();
    const where = { input: 't', record: 1, line: 1 };
    const map = (path: string, pidversion = 1) =>
      d.decode(message('mmap', { protection: 5, max_protection: 7, flags: 1, file_pos: 0, source: file(path) }, { actor: proc('/bin/zsh', { pid: 100, pidversion }, 9) }), where).events.length;
    expect([map('/usr/lib/a.dylib'), map('/usr/lib/a.dylib'), map('/usr/lib/b.dylib'), map('/usr/lib/a.dylib', 2)]).toEqual([1, 0, 1, 1]);
  });

  it('global_seq_num gaps are lost messages; a restart is not', () => {
    const d = new EsMessageDecoder();
    const where = { input: 't', record: 1, line: 1 };
    const at = (g: number, seq: number, name = 'write') => d.decode(message(name, { target: file('/tmp/x') }, { global: g, seq }), where).lost;
    expect(at(10, 3)).toBeUndefined();
    expect(at(11, 4)).toBeUndefined();
    expect(at(15, 8)).toEqual({ count: 3, reason: expect.stringMatching(/dropped 3 message\(s\).*11 → 15.*3 of them write/) });
    expect(at(16, 0, 'unlink')).toBeUndefined();
    expect(at(0, 0)).toBeUndefined(); // a new client
    expect(at(1, 1)).toBeUndefined();
    expect(d.sequence.lost).toBe(3);
    expect(d.sequence.lostByType.get('write')).toBe(3);
  });

  it('without global_seq_num, per-type seq_num gaps count', () => {
    const d = new EsMessageDecoder();
    const msg = (seq: number) => {
      const m = message('write', { target: file('/tmp/x') }, { seq });
      delete m['global_seq_num'];
      return m;
    };
    d.decode(msg(1), { input: 't', record: 1, line: 1 });
    expect(d.decode(msg(4), { input: 't', record: 2, line: 2 }).lost).toEqual({ count: 2, reason: 'Endpoint Security dropped 2 write message(s) (seq_num gap)' });
  });

  it('unknown fields anywhere are ignored', () => {
    const m = message('unlink', { target: { ...file('/tmp/u'), future: { x: 1 } }, new_field: true });
    (m as Json)['a_field_from_macos_27'] = [1, 2];
    ((m as Json)['process'] as Json)['future_process_field'] = 'x';
    expect(new EsMessageDecoder().decode(m, { input: 't', record: 1, line: 1 }).events[0]).toMatchObject({ kind: 'file.delete', file: { path: '/tmp/u' } });
  });
});

describe('records that cannot be decoded', () => {
  const bad = (m: unknown) => {
    try {
      new EsMessageDecoder().decode(m, { input: 't', record: 1, line: 1 });
    } catch (err) {
      expect(err).toBeInstanceOf(EsRecordError);
      return (err as Error).message;
    }
    return 'no error';
  };
  it('name the field at fault', () => {
    expect(bad(null)).toMatch(/expected an eslogger message/);
    expect(bad([1])).toMatch(/got an array/);
    expect(bad({ event: {} })).toBe('event: expected one event name as its only key, got none');
    const noToken = message('unlink', { target: file('/x') });
    delete ((noToken as Json)['process'] as Json)['audit_token'];
    expect(bad(noToken)).toBe('process.audit_token: missing (expected an audit token)');
    const shortToken = message('unlink', { target: file('/x') });
    ((shortToken as Json)['process'] as Json)['audit_token'] = [1, 2, 3];
    expect(bad(shortToken)).toBe('process.audit_token: expected 8 integers (audit_token_t), got an array of 3');
    expect(bad(message('unlink', { target: { path: 7 } }))).toBe('event.unlink.target.path: expected a string, got number');
    expect(bad(message('rename', { source: file('/a'), destination: {} }))).toBe('event.rename.destination: expected existing_file or new_path');
    expect(bad({ ...message('exit', { stat: 0 }), time: 'yesterday' })).toMatch(/^time: expected an RFC 3339 time/);
  });
});
