import { describe, expect, it } from 'vitest';
import { FILE_OP, LAYOUT, NET_OP } from './layout.js';
import { batch, dnsQuery, dnsRecord, execRecord, exitRecord, fileRecord, forkRecord, imageRecord, kmodRecord, netRecord } from './record-builder.js';
import { RecordDecodeError } from './errors.js';
import { decodeBatch } from './records.js';
import { ipString } from './strings.js';

const h = { tsNs: 5_000_000_000, startNs: 4_000_000_000, cgroupId: 77, pid: 100, tid: 101, ppid: 1, uid: 1000, gid: 1000, comm: 'bash' };

describe('decodeBatch', () => {
  it('decodes every record type built from the edrkit.h layout', () => {
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const { records, errors } = decodeBatch(
      batch([
        execRecord(h, { exe: { dentry: ['usr', 'bin', 'bash'] }, cwd: { dentry: ['home', 'u'] }, cgroup: 'session-1.scope', args: ['bash', '-c', 'echo hi'] }),
        forkRecord(h, 200, 4_500_000_000),
        exitRecord(h, 3 << 8),
        fileRecord(h, { op: FILE_OP.RENAME, path: { raw: 'a.txt', dentry: ['tmp'] }, path2: { raw: '/tmp/b.txt' } }),
        netRecord(h, { op: NET_OP.CONNECT, family: 10, protocol: 6, lport: 40000, rport: 443, laddr: v6, raddr: v6 }),
        dnsRecord(h, { payload: dnsQuery('example.com') }),
      ]),
    );
    expect(errors).toEqual([]);
    expect(records.map((r) => r.type)).toEqual(['exec', 'fork', 'exit', 'file', 'net', 'dns']);
    const [exec, fork, exit, file, net] = records;
    expect(exec).toMatchObject({
      h: { pid: 100, tid: 101, ppid: 1, uid: 1000, gid: 1000, comm: 'bash', tsNs: 5e9, startNs: 4e9, cgroupId: 77 },
      exe: { path: '/usr/bin/bash', relative: false, truncated: false },
      cwd: { path: '/home/u' },
      cgroup: 'session-1.scope',
      args: ['bash', '-c', 'echo hi'],
      argsTruncated: false,
    });
    expect(fork).toMatchObject({ childPid: 200, childStartNs: 4.5e9 });
    expect(exit).toMatchObject({ exitCode: 768 });
    expect(file).toMatchObject({ op: FILE_OP.RENAME, path: { path: '/tmp/a.txt', relative: false }, path2: { path: '/tmp/b.txt' }, ownerUid: undefined });
    expect(net).toMatchObject({ family: 'ipv6', protocol: 'tcp', laddr: '2001:db8::1', lport: 40000, rport: 443 });
  });

  it('keeps an unresolved relative path relative, and the root as /', () => {
    const { records } = decodeBatch(batch([
      fileRecord(h, { op: FILE_OP.UNLINK, path: { raw: 'x/y' } }),
      fileRecord(h, { op: FILE_OP.OPEN, path: { dentry: [] } }),
      fileRecord(h, { op: FILE_OP.UNLINK, path: { raw: '../z', dentry: ['a', 'b'] } }),
    ]));
    expect(records.map((r) => (r.type === 'file' ? r.path : undefined))).toEqual([
      { path: 'x/y', relative: true, truncated: false },
      { path: '/', relative: false, truncated: false },
      { path: '/a/z', relative: false, truncated: false },
    ]);
  });

  it('reports a truncated argv and a truncated path', () => {
    const { records } = decodeBatch(batch([execRecord(h, { exe: { dentry: ['x'], truncated: true }, args: ['a'], argsTruncated: true })]));
    expect(records[0]).toMatchObject({ argsTruncated: true, exe: { truncated: true } });
  });

  it('rejects unknown types, wrong ABI and wrong sizes with a typed error, and keeps going', () => {
    const bad = exitRecord(h, 0);
    new DataView(bad.buffer).setUint16(LAYOUT['edrkit_hdr.type'], 99, true);
    const abi = exitRecord(h, 0);
    new DataView(abi.buffer).setUint16(LAYOUT['edrkit_hdr.abi'], 1, true); // the fixed-size layout of ABI 1
    const { records, errors } = decodeBatch(batch([bad, abi, exitRecord(h, 0), new Uint8Array(16)]));
    expect(records).toHaveLength(1);
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e).toBeInstanceOf(RecordDecodeError);
    expect(errors[0]?.message).toMatch(/unknown record type 99/);
    expect(errors[1]?.message).toMatch(/ABI 1, decoder expects 3/);
    expect(errors[2]?.code).toBe('ERR_INVALID_RECORD');
  });

  it('carries only the bytes used: a record is its fixed part plus its strings', () => {
    const file = fileRecord(h, { op: FILE_OP.OPEN, path: { dentry: ['tmp', 'f1'] } });
    expect(file.length).toBe(LAYOUT.edrkit_file_rec + 'f1\0tmp\0'.length);
    const exec = execRecord(h, { exe: { dentry: ['bin', 'sh'] }, cgroup: 'a.scope', args: ['sh', '-c', 'x'] });
    expect(exec.length).toBe(LAYOUT.edrkit_exec_rec + 'sh\0bin\0'.length + 'a.scope'.length + 'sh\0-c\0x\0'.length);
  });

  it('decodes kmod and image records', () => {
    const { records, errors } = decodeBatch(batch([
      kmodRecord(h, { path: { dentry: ['lib', 'modules', 'x-y.ko.zst'] } }),
      imageRecord(h, { path: { dentry: ['usr', 'lib', 'libz.so.1'] }, prot: 5 }),
    ]));
    expect(errors).toEqual([]);
    expect(records[0]).toMatchObject({ type: 'kmod', path: { path: '/lib/modules/x-y.ko.zst' } });
    expect(records[1]).toMatchObject({ type: 'image', prot: 5, path: { path: '/usr/lib/libz.so.1' } });
  });

  it('rejects a record whose string lengths disagree with its size, or exceed their caps', () => {
    const long = fileRecord(h, { op: FILE_OP.OPEN, path: { dentry: ['tmp', 'f'] } });
    new DataView(long.buffer).setUint16(LAYOUT['edrkit_file_rec.path'] + LAYOUT['edrkit_path.dentry_len'], 3, true);
    const over = fileRecord(h, { op: FILE_OP.OPEN, path: { raw: '/x' } });
    new DataView(over.buffer).setUint16(LAYOUT['edrkit_file_rec.path'] + LAYOUT['edrkit_path.raw_len'], 300, true);
    const big = exitRecord(h, 0);
    const grown = new Uint8Array(big.length + 8);
    grown.set(big);
    new DataView(grown.buffer).setUint32(LAYOUT['edrkit_hdr.size'], grown.length, true);
    const { records, errors } = decodeBatch(batch([long, over, grown, exitRecord(h, 0)]));
    expect(records).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/fields describe 120 \+ 3/),
      expect.stringMatching(/raw 300/),
      expect.stringMatching(/fields describe 80 \+ 0/),
    ]);
  });

  it('stops at a frame that does not fit', () => {
    const b = batch([exitRecord(h, 0)]);
    new DataView(b.buffer).setUint32(0, 1 << 20, true);
    const { records, errors } = decodeBatch(b);
    expect(records).toEqual([]);
    expect(errors[0]?.message).toMatch(/frame length/);
  });
});

describe('ipString', () => {
  it('formats IPv4, IPv6 (RFC 5952) and IPv4-mapped addresses', () => {
    const b = new Uint8Array(16);
    b.set([127, 0, 0, 1]);
    expect(ipString(b, 0, 'ipv4')).toBe('127.0.0.1');
    expect(ipString(new Uint8Array(16), 0, 'ipv6')).toBe('::');
    const one = new Uint8Array(16);
    one[15] = 1;
    expect(ipString(one, 0, 'ipv6')).toBe('::1');
    const mapped = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 7]);
    expect(ipString(mapped, 0, 'ipv6')).toBe('::ffff:10.0.0.7');
  });
});
