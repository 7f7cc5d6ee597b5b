import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '@edrkit/core';
import { OBSERVABLE_KINDS } from '@edrkit/core';
import { RecordConverter } from '../events/to-events.js';
import { ProcessCache } from '../proc/process-cache.js';
import { parseDnsQuestion } from './dns.js';
import { RecordDecodeError } from './errors.js';
import { ACCESS_OP, BPF_OP, FILE_FLAG, FILE_OP, NET_OP } from './layout.js';
import { accessRecord, bpfRecord } from './record-builder-a.js';
import { credsRecord } from './record-builder-d.js';
import { batch, dnsQuery, dnsRecord, execRecord, exitRecord, fileRecord, forkRecord, imageRecord, kmodRecord, netRecord } from './record-builder.js';
import { decodeBatch } from './records.js';

const h = { tsNs: 1e9, startNs: 5e8, pid: 10, ppid: 1, comm: 'x' };
const valid = batch([
  execRecord(h, { exe: { dentry: ['bin', 'sh'] }, cwd: { dentry: ['home', 'u'] }, cgroup: 'session-1.scope', args: ['sh', '-c', 'x'] }),
  forkRecord(h, 11),
  exitRecord(h, 9),
  fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o101, fmode: 0x100000, path: { dentry: ['tmp', 'f'] } }),
  fileRecord(h, { op: FILE_OP.RENAME, path: { raw: 'a' }, path2: { raw: 'b' } }),
  netRecord(h, { op: NET_OP.ACCEPT, family: 2, protocol: 6, lport: 80, rport: 5000, laddr: [127, 0, 0, 1], raddr: [127, 0, 0, 1] }),
  dnsRecord(h, { payload: dnsQuery('example.com') }),
  kmodRecord(h, { path: { dentry: ['lib', 'm.ko'] } }),
  imageRecord(h, { path: { dentry: ['usr', 'lib', 'libc.so.6'] } }),
  fileRecord(h, { op: FILE_OP.UNLINK, path: { raw: '../x/./y', dentry: ['a', 'b'] } }),
  // part A (issue 14a)
  execRecord({ ...h, pid: 12 }, { exe: { dentry: ['memfd:p'] }, cgroup: 'system.slice/docker-x.scope', args: ['p'], fileless: true }),
  accessRecord(h, { op: ACCESS_OP.PTRACE, request: 16, target: 11, addr: 0x7fff0000 }),
  accessRecord(h, { op: ACCESS_OP.PROC_MEM, request: 2, path: { dentry: ['proc', '11', 'mem'] } }),
  bpfRecord(h, { op: BPF_OP.RAW_TP_OPEN, progType: 17, tag: '0102030405060708', name: 'p', target: 'sched_switch' }),
  fileRecord({ ...h, flags: FILE_FLAG.BLOCKDEV }, { op: FILE_OP.OPEN, path: { dentry: ['dev', 'vda'] } }),
  fileRecord(h, { op: FILE_OP.MEMFD, openFlags: 0xff, path: { raw: 'm' } }),
  // part D (issue 14d)
  credsRecord(h, { operation: 'setresuid', before: { capEffective: '000001ffffffffff', groups: [0, 4] }, after: { uid: 65534, euid: 65534, suid: 65534, fsuid: 65534, groups: [0, 4] } }),
]);

function converter() {
  return new RecordConverter(new ProcessCache({ bootToEpochMs: (ns) => 1.7e12 + ns / 1e6, readProc: false }), new Set(OBSERVABLE_KINDS), (ns) => 1.7e12 + ns / 1e6);
}

/** Decode + convert; every event must pass the v1 schema; only RecordDecodeErrors allowed. */
function decodeAll(bytes: Uint8Array) {
  const { records, errors } = decodeBatch(bytes);
  for (const e of errors) expect(e).toBeInstanceOf(RecordDecodeError);
  const conv = converter();
  for (const r of records) for (const e of conv.convert(r)) parseEvent({ ...e, seq: 0 });
}

describe('decoder fuzzing', () => {
  it('random bytes never throw, only yield typed decode errors', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 8192 }), (bytes) => decodeAll(bytes)), { numRuns: 500 });
  });

  it('valid batches with random byte mutations decode or fail typed; events stay schema-valid', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 64 }), (edits) => {
        const b = valid.slice();
        for (const [i, x] of edits) b[i] = x;
        decodeAll(b);
      }),
      { numRuns: 1000 },
    );
  });

  it('random frame lengths never read outside the batch', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.nat(valid.length - 8), (len, at) => {
        const b = valid.slice();
        new DataView(b.buffer).setUint32(at - (at % 8), len, true);
        decodeAll(b);
      }),
      { numRuns: 500 },
    );
  });

  it('random string lengths in valid records decode or fail typed, never read past the record', () => {
    // The tail is found through these u16 lengths: the decoder must check them against hdr.size.
    const { records } = decodeBatch(valid);
    expect(records).toHaveLength(17);
    fc.assert(
      fc.property(fc.nat(valid.length / 2 - 1), fc.integer({ min: 0, max: 0xffff }), (at, len) => {
        const b = valid.slice();
        new DataView(b.buffer).setUint16(at * 2, len, true);
        decodeAll(b);
      }),
      { numRuns: 2000 },
    );
  });

  it('the DNS parser never throws on arbitrary payloads', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => void parseDnsQuestion(b)), { numRuns: 2000 });
  });
});
