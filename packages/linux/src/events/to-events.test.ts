import { describe, expect, it } from 'vitest';
import { OBSERVABLE_KINDS, parseEvent, type ObservableKind } from '@edrkit/core';
import { FILE_OP, NET_OP } from '../decode/layout.js';
import { batch, execRecord, exitRecord, fileRecord, forkRecord, imageRecord, netRecord } from '../decode/record-builder.js';
import { decodeBatch } from '../decode/records.js';
import { ProcessCache } from '../proc/process-cache.js';
import { openFlags, RecordConverter } from './to-events.js';

const toMs = (ns: number) => 1_700_000_000_000 + ns / 1e6;
const h = { tsNs: 2e9, startNs: 1e9, pid: 50, tid: 50, ppid: 1, uid: 0, gid: 0, comm: 'sh' };
const ID = 'c'.repeat(64);

function run(records: Uint8Array[], kinds: readonly ObservableKind[] = OBSERVABLE_KINDS) {
  const conv = new RecordConverter(new ProcessCache({ bootToEpochMs: toMs, readProc: false }), new Set(kinds), toMs);
  const { records: recs } = decodeBatch(batch(records));
  const events = recs.flatMap((r) => conv.convert(r));
  for (const e of events) parseEvent({ ...e, seq: 0 }); // all schema-valid
  return events;
}

describe('RecordConverter', () => {
  it('fills process from exec, carries it through fork and exit, and converts time', () => {
    const events = run([
      execRecord(h, { exe: { dentry: ['usr', 'bin', 'dash'] }, cwd: { dentry: ['tmp'] }, args: ['sh', '-c', 'x y'], cgroup: `docker-${ID}.scope` }),
      forkRecord(h, 51, 3e9),
      exitRecord({ ...h, pid: 51, tid: 51, ppid: 50 }, 9),
      exitRecord(h, 2 << 8),
    ]);
    expect(events.map((e) => e.kind)).toEqual(['process.exec', 'process.fork', 'process.exit', 'process.exit']);
    const [exec, fork, killed, exited] = events;
    expect(exec).toMatchObject({
      time: toMs(2e9),
      source: 'linux-ebpf',
      platform: 'linux',
      process: { pid: 50, ppid: 1, exe: '/usr/bin/dash', args: ['sh', '-c', 'x y'], cmdline: "sh -c 'x y'", cwd: '/tmp', startTime: toMs(1e9), tid: 50, container: { id: ID } },
    });
    expect(fork).toMatchObject({ child: { pid: 51, startTime: toMs(3e9) } });
    expect(killed).toMatchObject({ process: { pid: 51, exe: '/usr/bin/dash' }, signal: 9 });
    expect(killed).not.toHaveProperty('exitCode');
    expect(exited).toMatchObject({ exitCode: 2 });
  });

  it('splits opens into create / modify / open by FMODE_CREATED and flags', () => {
    const p = { dentry: ['tmp', 'f'] };
    const events = run([
      fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o101, fmode: 0x100000, path: p }), // O_CREAT|O_WRONLY, created
      fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o1001, path: p }), // O_TRUNC|O_WRONLY, existing
      fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0, path: p }), // read
    ], ['file.create', 'file.modify', 'file.open']);
    expect(events.map((e) => e.kind)).toEqual(['file.create', 'file.open', 'file.modify', 'file.open', 'file.open']);
    expect(events.filter((e) => e.kind === 'file.open').map((e) => (e.kind === 'file.open' ? e.flags : []))).toEqual([
      ['write', 'create'],
      ['write', 'truncate'],
      ['read'],
    ]);
  });

  it('skips file records whose paths match no filter.paths prefix, before building events (rename: either path)', () => {
    const conv = new RecordConverter(new ProcessCache({ bootToEpochMs: toMs, readProc: false }), new Set<ObservableKind>(['file.create', 'file.rename', 'file.delete', 'net.connect']), toMs, ['/srv/keep/']);
    const { records } = decodeBatch(batch([
      fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o101, fmode: 0x100000, path: { dentry: ['srv', 'keep', 'a'] } }),
      fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o101, fmode: 0x100000, path: { dentry: ['srv', 'other', 'a'] } }),
      fileRecord(h, { op: FILE_OP.RENAME, path: { raw: '/tmp/x' }, path2: { raw: '/srv/keep/x' } }),
      fileRecord(h, { op: FILE_OP.RENAME, path: { raw: '/tmp/x' }, path2: { raw: '/tmp/y' } }),
      fileRecord(h, { op: FILE_OP.UNLINK, path: { raw: 'keep/b', dentry: ['srv'] } }), // relative to /srv
      netRecord(h, { op: NET_OP.CONNECT, family: 2, protocol: 6, lport: 40000, rport: 80, laddr: [127, 0, 0, 1], raddr: [127, 0, 0, 1] }),
    ]));
    const events = records.flatMap((r) => conv.convert(r));
    expect(events.map((e) => [e.kind, e.kind.startsWith('file.') ? (e as { file: { path: string } }).file.path : ''])).toEqual([
      ['file.create', '/srv/keep/a'],
      ['file.rename', '/tmp/x'],
      ['file.delete', '/srv/keep/b'],
      ['net.connect', ''],
    ]);
    expect(conv.stats.pathFiltered).toBe(2);
  });

  it('emits only the kinds asked for', () => {
    const events = run([fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o101, fmode: 0x100000, path: { dentry: ['f'] } })], ['file.create']);
    expect(events.map((e) => e.kind)).toEqual(['file.create']);
    expect(run([exitRecord(h, 0)], ['file.create'])).toEqual([]);
  });

  it('converts delete, rename, chmod, chown, truncate, mkdir, memfd', () => {
    const events = run([
      fileRecord(h, { op: FILE_OP.UNLINK, path: { raw: '/tmp/a' } }),
      fileRecord(h, { op: FILE_OP.RMDIR, path: { raw: 'd', dentry: ['tmp'] } }),
      fileRecord(h, { op: FILE_OP.RENAME, path: { raw: '/tmp/a' }, path2: { raw: 'b', dentry: ['tmp'] } }),
      fileRecord(h, { op: FILE_OP.CHMOD, mode: 0o100755, path: { raw: '/tmp/b' } }),
      fileRecord(h, { op: FILE_OP.CHOWN, ownerUid: 1000, path: { raw: '/tmp/b' } }),
      fileRecord(h, { op: FILE_OP.TRUNCATE, path: { raw: '/tmp/b' } }),
      fileRecord(h, { op: FILE_OP.MKDIR, path: { raw: '/tmp/d' } }),
      fileRecord(h, { op: FILE_OP.MEMFD, path: { raw: 'payload' } }),
    ]);
    expect(events.map((e) => [e.kind, 'file' in e ? e.file.path : ''])).toEqual([
      ['file.delete', '/tmp/a'],
      ['file.delete', '/tmp/d'],
      ['file.rename', '/tmp/a'],
      ['file.attr', '/tmp/b'],
      ['file.attr', '/tmp/b'],
      ['file.modify', '/tmp/b'],
      ['file.create', '/tmp/d'],
      ['file.create', '/memfd:payload'],
    ]);
    expect(events[2]).toMatchObject({ target: { path: '/tmp/b' } });
    expect(events[3]).toMatchObject({ mode: 0o755 });
    expect(events[4]).toMatchObject({ owner: { uid: 1000 } });
    expect(events[4]).not.toHaveProperty('owner.gid');
  });

  it('gives listen an unspecified remote, accept and connect both ends', () => {
    const lo = [127, 0, 0, 1];
    const events = run([
      netRecord(h, { op: NET_OP.LISTEN, family: 2, protocol: 6, lport: 8080, rport: 0, laddr: lo, raddr: [0, 0, 0, 0] }),
      netRecord(h, { op: NET_OP.BIND, family: 10, protocol: 17, lport: 5353, rport: 0, laddr: [], raddr: [] }),
      netRecord(h, { op: NET_OP.ACCEPT, family: 2, protocol: 6, lport: 8080, rport: 40000, laddr: lo, raddr: lo }),
    ]);
    expect(events.map((e) => ('net' in e ? [e.kind, e.net] : []))).toEqual([
      ['net.listen', { protocol: 'tcp', family: 'ipv4', local: { ip: '127.0.0.1', port: 8080 }, remote: { ip: '0.0.0.0', port: 0 } }],
      ['net.listen', { protocol: 'udp', family: 'ipv6', local: { ip: '::', port: 5353 }, remote: { ip: '::', port: 0 } }],
      ['net.accept', { protocol: 'tcp', family: 'ipv4', local: { ip: '127.0.0.1', port: 8080 }, remote: { ip: '127.0.0.1', port: 40000 } }],
    ]);
  });

  it('maps open flags to portable words', () => {
    expect(openFlags(0o2 | 0o2000 | 0o200 | 0o200000, 'x64')).toEqual(['read', 'write', 'append', 'exclusive', 'directory']);
  });

  it("reads O_DIRECTORY with the value of the running CPU's kernel (arm64 swaps it with O_DIRECT)", () => {
    // arm64: O_DIRECTORY 040000, O_DIRECT 0200000; x86-64 the other way round.
    expect(openFlags(0o40000, 'arm64')).toEqual(['read', 'directory']);
    expect(openFlags(0o200000, 'arm64')).toEqual(['read']);
    expect(openFlags(0o40000, 'x64')).toEqual(['read']);
    expect(openFlags(0o200000)).toEqual(process.arch === 'arm64' || process.arch === 'arm' ? ['read'] : ['read', 'directory']);
  });

  it('image records become image.load with the mapped file', () => {
    const [e] = run([imageRecord(h, { path: { dentry: ['usr', 'lib', 'libz.so.1.2.13'] } })], ['image.load']);
    expect(e).toMatchObject({ kind: 'image.load', image: { path: '/usr/lib/libz.so.1.2.13' }, process: { pid: 50 } });
  });

  describe('shared process objects', () => {
    const parent = { ...h, pid: 1, tid: 1, ppid: 0, comm: 'init' };
    const child = { ...h, pid: 60, tid: 60, ppid: 1 };
    const open = (hh: typeof h, name: string) => fileRecord(hh, { op: FILE_OP.OPEN, openFlags: 0o101, fmode: 0x100000, path: { dentry: ['tmp', name] } });

    it('events of one process share one process object, which already carries its parent', () => {
      const events = run([execRecord(parent, { exe: { dentry: ['sbin', 'init'] } }), execRecord(child, { exe: { dentry: ['bin', 'cp'] }, args: ['cp'] }), open(child, 'a'), open(child, 'b')], ['file.create']);
      expect(events).toHaveLength(2);
      const [a, b] = events as [Extract<(typeof events)[number], { kind: 'file.create' }>, Extract<(typeof events)[number], { kind: 'file.create' }>];
      expect(a.process).toBe(b.process);
      expect(a.raw).toBe(b.raw);
      // The sensor only fills a missing parent, so it never writes into the shared object.
      expect(a.process.parent).toEqual({ pid: 1, exe: '/sbin/init', cmdline: '/sbin/init', startTime: toMs(1e9) });
      expect(a.file).not.toBe(b.file);
    });

    it('a new object when the process changes: another thread, new credentials, an exec of it or of its parent', () => {
      const events = run([
        execRecord(parent, { exe: { dentry: ['sbin', 'init'] } }),
        execRecord(child, { exe: { dentry: ['bin', 'cp'] } }),
        open(child, 'a'),
        open({ ...child, tid: 61 }, 'b'),
        open({ ...child, tid: 61, uid: 1000 }, 'c'),
        execRecord(parent, { exe: { dentry: ['sbin', 'init2'] } }),
        open({ ...child, tid: 61, uid: 1000 }, 'd'),
        execRecord(child, { exe: { dentry: ['bin', 'mv'] } }),
        open({ ...child, tid: 61, uid: 1000 }, 'e'),
      ], ['file.create']);
      const procs = events.map((e) => (e.kind === 'file.create' ? e.process : undefined));
      expect(new Set(procs).size).toBe(5);
      expect(procs.map((p) => [p?.tid, p?.uid, p?.exe, p?.parent?.exe])).toEqual([
        [60, 0, '/bin/cp', '/sbin/init'],
        [61, 0, '/bin/cp', '/sbin/init'],
        [61, 1000, '/bin/cp', '/sbin/init'],
        [61, 1000, '/bin/cp', '/sbin/init2'],
        [61, 1000, '/bin/mv', '/sbin/init2'],
      ]);
    });

    it('a process whose parent is unknown gets its own object per event, without parent (the sensor may fill it)', () => {
      const events = run([open(child, 'a'), open(child, 'b')], ['file.create']);
      const [a, b] = events.map((e) => (e.kind === 'file.create' ? e.process : undefined));
      expect(a).not.toBe(b);
      expect(a?.parent).toBeUndefined();
    });
  });
});
