import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, parseEvent, type EdrEvent } from '@edrkit/core';
import { toOCSF } from './to-ocsf.js';

const proc = {
  pid: 200,
  ppid: 100,
  uid: 1000,
  exe: '/bin/sh',
  args: ['sh', '-c', 'echo  hi'],
  cmdline: "sh -c 'echo  hi'",
  parent: { pid: 100, exe: '/usr/bin/bash' },
};
const ev = (e: Record<string, unknown>): EdrEvent =>
  parseEvent({ time: 1714564802000.5, seq: 7, platform: 'linux', source: 'linux-ebpf', process: proc, ...e });

describe('toOCSF', () => {
  it('exec: the new image is process, its parent the actor, launch type Spawn', () => {
    const r = toOCSF(ev({ kind: 'process.exec' }), { hostname: 'h' });
    if (r.class_uid !== 1007) throw new Error('wrong class');
    expect(r.process).toMatchObject({ pid: 200, name: 'sh', path: '/bin/sh', cmd_line: "sh -c 'echo  hi'", user: { uid: '1000' } });
    expect(r.actor.process).toEqual({ pid: 100, name: 'bash', path: '/usr/bin/bash' });
    expect(r.launch_type_id).toBe(1);
    expect(r.time).toBe(1714564802000);
    // argv that the command line cannot reproduce, and the exact time, are kept.
    expect(r.unmapped).toMatchObject({ 'process.args': ['sh', '-c', 'echo  hi'], time: 1714564802000.5 });
    expect(r.metadata).toMatchObject({ product: { name: 'edrkit', vendor_name: 'edrkit' }, log_provider: 'linux-ebpf', sequence: 7 });
  });

  it('fork: the forking process is the actor, the child the process (launch type Fork)', () => {
    const r = toOCSF(ev({ kind: 'process.fork', child: { pid: 201, startTime: 1714564802001 } }));
    if (r.class_uid !== 1007) throw new Error('wrong class');
    expect(r.actor.process?.pid).toBe(200);
    expect(r.process).toMatchObject({ pid: 201, path: '/bin/sh', created_time: 1714564802001, parent_process: { pid: 200 } });
    expect(r.launch_type_id).toBe(2);
  });

  it('exit: reflexive terminate with exit code; the signal goes to unmapped', () => {
    const r = toOCSF(ev({ kind: 'process.exit', exitCode: 137, signal: 9 }));
    if (r.class_uid !== 1007) throw new Error('wrong class');
    expect(r.activity_id).toBe(2);
    expect(r.exit_code).toBe(137);
    expect(r.process.pid).toBe(200);
    expect(r.unmapped?.signal).toBe(9);
  });

  it('rename: file is the old path, file_result the new one', () => {
    const r = toOCSF(ev({ kind: 'file.rename', file: { path: '/a/old' }, target: { path: '/b/new.txt' } }));
    if (r.class_uid !== 1001) throw new Error('wrong class');
    expect(r.file).toMatchObject({ name: 'old', path: '/a/old', parent_folder: '/a', type_id: 1 });
    expect(r.file_result).toMatchObject({ name: 'new.txt', path: '/b/new.txt', ext: 'txt' });
  });

  it('open of a directory is a Folder; flags are kept', () => {
    const r = toOCSF(ev({ kind: 'file.open', file: { path: '/etc' }, flags: ['read', 'directory'] }));
    if (r.class_uid !== 1001) throw new Error('wrong class');
    expect(r.activity_id).toBe(14);
    expect(r.file.type_id).toBe(2);
    expect(r.unmapped?.flags).toEqual(['read', 'directory']);
  });

  it('listen: the local endpoint is the destination, the placeholder remote is left out', () => {
    const r = toOCSF(
      ev({ kind: 'net.listen', net: { protocol: 'tcp', family: 'ipv6', local: { ip: '::', port: 8080 }, remote: { ip: '::', port: 0 } } }),
    );
    if (r.class_uid !== 4001) throw new Error('wrong class');
    expect(r.activity_id).toBe(7);
    expect(r.dst_endpoint).toEqual({ ip: '::', port: 8080 });
    expect(r.src_endpoint).toBeUndefined();
    expect(r.connection_info).toMatchObject({ protocol_num: 6, protocol_ver_id: 6, direction_id: 0 });
  });

  it('keeps a non-IP address as the endpoint name', () => {
    const r = toOCSF(
      ev({ kind: 'net.connect', net: { protocol: 'udp', family: 'ipv4', local: { ip: 'garbage', port: 1 }, remote: { ip: '8.8.8.8', port: 53 } } }),
    );
    if (r.class_uid !== 4001) throw new Error('wrong class');
    expect(r.src_endpoint).toEqual({ name: 'garbage', port: 1 });
  });

  it('registry: typed data, default values and key renames', () => {
    const w = { platform: 'windows', source: 'windows-etw', process: { ...proc, uid: undefined, sid: 'S-1-5-18', exe: 'C:\\x.exe' } };
    const set = toOCSF(ev({ ...w, kind: 'registry.set', registry: { key: 'HKLM\\K', value: 'V', data: 'DWORD (0x00000010)', dataType: 'REG_DWORD' } }));
    if (set.class_uid !== 201002) throw new Error('wrong class');
    expect(set.reg_value).toEqual({ path: 'HKLM\\K', name: 'V', type: 'REG_DWORD', type_id: 2, reg_integer_data: 16 });
    expect(set.metadata.extensions).toEqual([{ name: 'win', uid: '2', version: '1.9.0-dev' }]);
    const dflt = toOCSF(ev({ ...w, kind: 'registry.set', registry: { key: 'HKLM\\K', data: 'x', dataType: 'REG_SZ' } }));
    if (dflt.class_uid !== 201002) throw new Error('wrong class');
    expect(dflt.reg_value).toMatchObject({ name: '', is_default: true, reg_string_data: 'x' });
    const ren = toOCSF(ev({ ...w, kind: 'registry.rename', registry: { key: 'HKLM\\Old' }, target: { key: 'HKLM\\New' } }));
    if (ren.class_uid !== 201001) throw new Error('wrong class');
    expect(ren.reg_key).toEqual({ path: 'HKLM\\New' });
    expect(ren.prev_reg_key).toEqual({ path: 'HKLM\\Old' });
    expect(ren.actor.user).toEqual({ uid: 'S-1-5-18' });
  });

  it('sensor.lost: Event Log Activity, Other, severity Medium, no actor', () => {
    const lost = parseEvent({ kind: 'sensor.lost', time: 1, seq: 0, platform: 'linux', source: 'replay', lost: { count: 3, reason: 'queue full', stage: 'queue' } });
    const r = toOCSF(lost);
    expect(r).toMatchObject({ class_uid: 1008, activity_id: 99, type_uid: 100899, severity_id: 3, status_id: 2, status_detail: 'queue full' });
    expect(r.message).toBe('edrkit dropped 3 events at the queue stage: queue full');
    expect(r.actor).toBeUndefined();
    // A replayed event does not claim this machine's host name.
    expect(r.device).toMatchObject({ name: 'unknown' });
    expect(r.device.hostname).toBeUndefined();
  });

  it('options: host, OS details, product version, raw left out', () => {
    const r = toOCSF(ev({ kind: 'file.delete', file: { path: '/x' }, raw: { linux: { a: 1 } } }), {
      hostname: 'web-1',
      os: { name: 'Ubuntu', version: '24.04', kernelRelease: '6.8.0' },
      productVersion: '9.9.9',
      includeRaw: false,
    });
    expect(r.device).toMatchObject({ hostname: 'web-1', os: { name: 'Ubuntu', version: '24.04', kernel_release: '6.8.0', type_id: 200 } });
    expect(r.metadata.product.version).toBe('9.9.9');
    expect(r.unmapped?.raw).toBeUndefined();
  });

  it('rejects an unknown kind with InvalidArgumentError', () => {
    expect(() => toOCSF({ kind: 'nope' } as unknown as EdrEvent)).toThrow(InvalidArgumentError);
  });
});
