import { describe, expect, it } from 'vitest';
import { OBSERVABLE_KINDS, parseEvent, type ObservableKind } from '@edrkit/core';
import { ACCESS_OP, BPF_OP, FILE_FLAG, FILE_OP } from '../decode/layout.js';
import { batch, execRecord, fileRecord } from '../decode/record-builder.js';
import { accessRecord, bpfRecord } from '../decode/record-builder-a.js';
import { decodeBatch } from '../decode/records.js';
import { ProcessCache } from '../proc/process-cache.js';
import { attachTypeName, progTypeName } from './bpf-names.js';
import { memfdFlags } from './memfd.js';
import { RecordConverter } from './to-events.js';

const toMs = (ns: number) => 1_700_000_000_000 + ns / 1e6;
const h = { tsNs: 2e9, startNs: 1e9, pid: 60, tid: 60, ppid: 1, uid: 0, gid: 0, comm: 'gdb' };
const target = { tsNs: 1e9, startNs: 5e8, pid: 61, tid: 61, ppid: 60, comm: 'victim' };

function run(records: Uint8Array[], kinds: readonly ObservableKind[] = OBSERVABLE_KINDS, blockOpensOnly = false) {
  const conv = new RecordConverter(new ProcessCache({ bootToEpochMs: toMs, readProc: false }), new Set(kinds), toMs, undefined, blockOpensOnly);
  const { records: recs, errors } = decodeBatch(batch(records));
  expect(errors).toEqual([]);
  const events = recs.flatMap((r) => conv.convert(r));
  for (const e of events) parseEvent({ ...e, seq: 0 });
  return { events, conv };
}

const victimExec = execRecord(target, { exe: { dentry: ['usr', 'bin', 'sleep'] }, args: ['sleep', '30'] });

describe('part A conversion', () => {
  it('ptrace requests: attach/peek are access, poke/setregs tamper, with the target from the cache', () => {
    const { events } = run([
      victimExec,
      accessRecord(h, { op: ACCESS_OP.PTRACE, request: 16, target: 61 }),
      accessRecord(h, { op: ACCESS_OP.PTRACE, request: 2, target: 61, addr: 0x7f0000001000 }),
      accessRecord(h, { op: ACCESS_OP.PTRACE, request: 5, target: 61, addr: 0x7f0000001000 }),
      accessRecord(h, { op: ACCESS_OP.PTRACE, request: 13, target: 61 }),
      accessRecord(h, { op: ACCESS_OP.PTRACE, request: 7, target: 61 }), // PTRACE_CONT: not reported
    ]);
    const got = events.filter((e) => e.kind !== 'process.exec');
    expect(got.map((e) => [e.kind, e.kind === 'process.access' ? e.access.rights : e.kind === 'process.tamper' ? e.technique : ''])).toEqual([
      ['process.access', ['ptrace-attach']],
      ['process.access', ['ptrace-read']],
      ['process.tamper', 'memory-write'],
      ['process.tamper', 'register-write'],
    ]);
    expect(got[0]).toMatchObject({ target: { pid: 61, exe: '/usr/bin/sleep', startTime: toMs(5e8) }, raw: { linux: { syscall: 'ptrace', request: 'PTRACE_ATTACH' } } });
    expect(got[2]).toMatchObject({ raw: { linux: { request: 'PTRACE_POKEDATA', address: '0x7f0000001000' } } });
  });

  it('process_vm_readv/writev and /proc/PID/mem; the caller\'s own mem gives no event (counted)', () => {
    const { events, conv } = run([
      victimExec,
      accessRecord(h, { op: ACCESS_OP.VM_READ, target: 61, ret: 24, addr: 0x1000 }),
      accessRecord(h, { op: ACCESS_OP.VM_WRITE, target: 61, ret: 24 }),
      accessRecord(h, { op: ACCESS_OP.PROC_MEM, request: 0, path: { dentry: ['proc', '61', 'mem'] } }),
      accessRecord(h, { op: ACCESS_OP.PROC_MEM, request: 2, path: { dentry: ['proc', '61', 'task', '62', 'mem'] } }),
      accessRecord(h, { op: ACCESS_OP.PROC_MEM, request: 0, path: { dentry: ['proc', '60', 'mem'] } }),
    ]);
    const got = events.filter((e) => e.kind !== 'process.exec');
    expect(got.map((e) => e.kind)).toEqual(['process.access', 'process.tamper', 'process.access', 'process.tamper']);
    expect(got[0]).toMatchObject({ access: { rights: ['memory-read'] }, raw: { linux: { syscall: 'process_vm_readv', bytes: 24, address: '0x1000' } } });
    expect(got[1]).toMatchObject({ technique: 'memory-write', raw: { linux: { syscall: 'process_vm_writev' } } });
    expect(got[2]).toMatchObject({ access: { rights: ['memory-read'] }, target: { pid: 61 }, raw: { linux: { path: '/proc/61/mem' } } });
    expect(got[3]).toMatchObject({ technique: 'memory-write', target: { pid: 61, tid: 62 } });
    expect(conv.selfMemOpens).toBe(1);
  });

  it('only the kinds asked for', () => {
    const recs = [accessRecord(h, { op: ACCESS_OP.VM_READ, target: 61 }), accessRecord(h, { op: ACCESS_OP.VM_WRITE, target: 61 })];
    expect(run(recs, ['process.tamper']).events.map((e) => e.kind)).toEqual(['process.tamper']);
    expect(run(recs, ['process.access']).events.map((e) => e.kind)).toEqual(['process.access']);
  });

  it('bpf loads and attaches with the kernel\'s names', () => {
    const { events } = run([
      bpfRecord(h, { op: BPF_OP.PROG_LOAD, progType: 17, insnCnt: 2, progId: 77, tag: '59f4a931744dcdc6', name: 'edrkit_t14a' }),
      bpfRecord(h, { op: BPF_OP.RAW_TP_OPEN, progType: 17, progId: 77, name: 'edrkit_t14a', target: 'sched_process_free' }),
      bpfRecord(h, { op: BPF_OP.LINK_CREATE, progType: 2, attachType: 41, progId: 78 }),
    ]);
    expect(events.map((e) => (e.kind === 'bpf.load' ? e.bpf : undefined))).toEqual([
      { progType: 'raw_tracepoint', operation: 'load', name: 'edrkit_t14a', id: 77, tag: '59f4a931744dcdc6', instructions: 2 },
      { progType: 'raw_tracepoint', operation: 'attach', name: 'edrkit_t14a', id: 77, attachTarget: 'sched_process_free' },
      { progType: 'kprobe', operation: 'attach', attachType: 'perf_event', id: 78 },
    ]);
    expect(events[1]).toMatchObject({ raw: { linux: { command: 'BPF_RAW_TRACEPOINT_OPEN' } } });
    expect(progTypeName(999)).toBe('type999');
    expect(attachTypeName(0)).toBe('cgroup_inet_ingress');
  });

  it('memfd: file.memfd and flags; an exec of it is fileless on every event of the process', () => {
    const { events } = run([
      fileRecord(h, { op: FILE_OP.MEMFD, openFlags: 3, path: { raw: 'x' } }),
      execRecord({ ...h, pid: 70, tid: 70, flags: 0 }, { exe: { dentry: ['memfd:x'] }, args: ['x'], fileless: true }),
      fileRecord({ ...h, pid: 70, tid: 70 }, { op: FILE_OP.UNLINK, path: { raw: '/tmp/z' } }),
    ]);
    expect(events[0]).toMatchObject({ kind: 'file.create', file: { path: '/memfd:x', memfd: true }, raw: { linux: { memfdFlags: ['cloexec', 'allow-sealing'] } } });
    expect(events[1]).toMatchObject({ kind: 'process.exec', process: { exe: '/memfd:x', fileless: true } });
    expect(events[2]).toMatchObject({ kind: 'file.delete', process: { fileless: true } });
    expect(memfdFlags(0x31)).toEqual(['cloexec', 'exec', '0x20']);
  });

  it('block-device opens: file.type block; with blockOpensOnly, other opens give no file.open', () => {
    const blk = fileRecord({ ...h, flags: FILE_FLAG.BLOCKDEV }, { op: FILE_OP.OPEN, openFlags: 0, path: { dentry: ['dev', 'loop0'] } });
    const plain = fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0, path: { dentry: ['etc', 'hosts'] } });
    const all = run([blk, plain], ['file.open']).events;
    expect(all.map((e) => (e.kind === 'file.open' ? e.file : undefined))).toEqual([{ path: '/dev/loop0', type: 'block' }, { path: '/etc/hosts' }]);
    const only = run([blk, plain], ['file.open'], true).events;
    expect(only).toHaveLength(1);
    expect(only[0]).toMatchObject({ kind: 'file.open', file: { type: 'block' }, flags: ['read'] });
  });
});
