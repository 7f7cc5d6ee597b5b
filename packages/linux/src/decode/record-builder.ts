/**
 * Builds records byte-for-byte in the edrkit.h layout, and batches in the addon's framing.
 * For tests (decoder, converter, fuzzing) and for tools that synthesise kernel records.
 *
 * @module
 */
import { ABI_VERSION, CAPS, LAYOUT, PATH_FLAG, REC } from './layout.js';

/** Header fields; anything omitted is 0 / ''. */
export interface HeaderInit {
  tsNs?: number; startNs?: number; cgroupId?: number; pid?: number; tid?: number; ppid?: number;
  uid?: number; gid?: number; flags?: number; comm?: string;
}

/** A path as the kernel would write it: raw string and/or dentry components (root first). */
export interface PathInit {
  raw?: string;
  /** Components from the root down, e.g. ['tmp', 'x'] for /tmp/x; [] for '/'. */
  dentry?: string[];
  truncated?: boolean;
}

const enc = new TextEncoder();

function putString(b: Uint8Array, off: number, s: string, max: number): void {
  const bytes = enc.encode(s).subarray(0, max - 1);
  b.set(bytes, off);
}

function writeHeader(v: DataView, b: Uint8Array, type: number, size: number, h: HeaderInit): void {
  v.setUint16(LAYOUT['edrkit_hdr.type'], type, true);
  v.setUint16(LAYOUT['edrkit_hdr.abi'], ABI_VERSION, true);
  v.setUint32(LAYOUT['edrkit_hdr.size'], size, true);
  v.setBigUint64(LAYOUT['edrkit_hdr.ts_ns'], BigInt(h.tsNs ?? 0), true);
  v.setBigUint64(LAYOUT['edrkit_hdr.start_ns'], BigInt(h.startNs ?? 0), true);
  v.setBigUint64(LAYOUT['edrkit_hdr.cgroup_id'], BigInt(h.cgroupId ?? 0), true);
  v.setUint32(LAYOUT['edrkit_hdr.pid'], h.pid ?? 0, true);
  v.setUint32(LAYOUT['edrkit_hdr.tid'], h.tid ?? h.pid ?? 0, true);
  v.setUint32(LAYOUT['edrkit_hdr.ppid'], h.ppid ?? 0, true);
  v.setUint32(LAYOUT['edrkit_hdr.uid'], h.uid ?? 0, true);
  v.setUint32(LAYOUT['edrkit_hdr.gid'], h.gid ?? 0, true);
  v.setUint32(LAYOUT['edrkit_hdr.flags'], h.flags ?? 0, true);
  putString(b, LAYOUT['edrkit_hdr.comm'], h.comm ?? '', CAPS.EDRKIT_COMM_LEN);
}

function writePath(v: DataView, b: Uint8Array, off: number, p: PathInit | undefined): void {
  if (!p) return;
  let flags = 0;
  if (p.raw !== undefined) {
    flags |= PATH_FLAG.HAS_RAW;
    putString(b, off + LAYOUT['edrkit_path.raw'], p.raw, CAPS.EDRKIT_RAW_PATH);
  }
  if (p.dentry) {
    flags |= PATH_FLAG.HAS_DENTRY;
    let o = off + LAYOUT['edrkit_path.dentry'];
    for (const c of [...p.dentry].reverse()) {
      const bytes = enc.encode(c);
      b.set(bytes, o);
      o += bytes.length + 1;
    }
    v.setUint16(off + LAYOUT['edrkit_path.depth'], p.dentry.length, true);
  }
  if (p.truncated) flags |= PATH_FLAG.TRUNC;
  v.setUint16(off + LAYOUT['edrkit_path.flags'], flags, true);
}

function record(type: number, size: number, h: HeaderInit) {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  writeHeader(v, b, type, size, h);
  return { b, v };
}

/** An exec record. */
export function execRecord(h: HeaderInit, r: { exe?: PathInit; cwd?: PathInit; cgroup?: string; args?: string[]; argsTruncated?: boolean }): Uint8Array {
  const { b, v } = record(REC.EXEC, LAYOUT.edrkit_exec_rec, { ...h, flags: (h.flags ?? 0) | (r.argsTruncated ? 1 : 0) });
  writePath(v, b, LAYOUT['edrkit_exec_rec.exe'], r.exe);
  writePath(v, b, LAYOUT['edrkit_exec_rec.cwd'], r.cwd);
  putString(b, LAYOUT['edrkit_exec_rec.cgroup'], r.cgroup ?? '', CAPS.EDRKIT_CGROUP_NAME);
  const args = enc.encode((r.args ?? []).map((a) => `${a}\0`).join('')).subarray(0, CAPS.EDRKIT_ARGS_MAX);
  b.set(args, LAYOUT['edrkit_exec_rec.args']);
  v.setUint32(LAYOUT['edrkit_exec_rec.args_len'], args.length, true);
  return b;
}

/** A fork record (header = parent). */
export function forkRecord(h: HeaderInit, childPid: number, childStartNs = 0): Uint8Array {
  const { b, v } = record(REC.FORK, LAYOUT.edrkit_fork_rec, h);
  v.setUint32(LAYOUT['edrkit_fork_rec.child_pid'], childPid, true);
  v.setBigUint64(LAYOUT['edrkit_fork_rec.child_start_ns'], BigInt(childStartNs), true);
  return b;
}

/** An exit record; `exitCode` is the kernel's `(status << 8) | signal`. */
export function exitRecord(h: HeaderInit, exitCode: number): Uint8Array {
  const { b, v } = record(REC.EXIT, LAYOUT.edrkit_exit_rec, h);
  v.setUint32(LAYOUT['edrkit_exit_rec.exit_code'], exitCode, true);
  return b;
}

/** A file record. */
export function fileRecord(
  h: HeaderInit,
  r: { op: number; ret?: number; openFlags?: number; fmode?: number; mode?: number; ownerUid?: number; ownerGid?: number; path?: PathInit; path2?: PathInit },
): Uint8Array {
  const { b, v } = record(REC.FILE, LAYOUT.edrkit_file_rec, h);
  v.setUint32(LAYOUT['edrkit_file_rec.op'], r.op, true);
  v.setInt32(LAYOUT['edrkit_file_rec.ret'], r.ret ?? 0, true);
  v.setUint32(LAYOUT['edrkit_file_rec.open_flags'], r.openFlags ?? 0, true);
  v.setUint32(LAYOUT['edrkit_file_rec.fmode'], r.fmode ?? 0, true);
  v.setUint32(LAYOUT['edrkit_file_rec.mode'], r.mode ?? 0, true);
  v.setUint32(LAYOUT['edrkit_file_rec.owner_uid'], r.ownerUid ?? 0xffffffff, true);
  v.setUint32(LAYOUT['edrkit_file_rec.owner_gid'], r.ownerGid ?? 0xffffffff, true);
  writePath(v, b, LAYOUT['edrkit_file_rec.path'], r.path);
  writePath(v, b, LAYOUT['edrkit_file_rec.path2'], r.path2);
  return b;
}

/** A net record; addresses as byte arrays (4 or 16 bytes). */
export function netRecord(
  h: HeaderInit,
  r: { op: number; family: number; protocol: number; lport: number; rport: number; laddr: number[]; raddr: number[]; ret?: number },
): Uint8Array {
  const { b, v } = record(REC.NET, LAYOUT.edrkit_net_rec, h);
  v.setUint32(LAYOUT['edrkit_net_rec.op'], r.op, true);
  v.setInt32(LAYOUT['edrkit_net_rec.ret'], r.ret ?? 0, true);
  v.setUint16(LAYOUT['edrkit_net_rec.family'], r.family, true);
  v.setUint16(LAYOUT['edrkit_net_rec.protocol'], r.protocol, true);
  v.setUint16(LAYOUT['edrkit_net_rec.lport'], r.lport, true);
  v.setUint16(LAYOUT['edrkit_net_rec.rport'], r.rport, true);
  b.set(r.laddr.slice(0, 16), LAYOUT['edrkit_net_rec.laddr']);
  b.set(r.raddr.slice(0, 16), LAYOUT['edrkit_net_rec.raddr']);
  return b;
}

/** A DNS record carrying `payload` (a UDP datagram head). */
export function dnsRecord(h: HeaderInit, r: { family?: number; rport?: number; raddr?: number[]; payload: Uint8Array }): Uint8Array {
  const { b, v } = record(REC.DNS, LAYOUT.edrkit_dns_rec, h);
  v.setUint16(LAYOUT['edrkit_dns_rec.family'], r.family ?? 2, true);
  v.setUint16(LAYOUT['edrkit_dns_rec.rport'], r.rport ?? 53, true);
  const p = r.payload.subarray(0, CAPS.EDRKIT_DNS_PAYLOAD);
  v.setUint32(LAYOUT['edrkit_dns_rec.len'], p.length, true);
  b.set((r.raddr ?? [127, 0, 0, 53]).slice(0, 16), LAYOUT['edrkit_dns_rec.raddr']);
  b.set(p, LAYOUT['edrkit_dns_rec.payload']);
  return b;
}

/** Frame records the way the addon does: `[u32 len][u32 0][record][pad to 8]`. */
export function batch(records: readonly Uint8Array[]): Uint8Array {
  const total = records.reduce((n, r) => n + 8 + Math.ceil(r.length / 8) * 8, 0);
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  let o = 0;
  for (const r of records) {
    v.setUint32(o, r.length, true);
    out.set(r, o + 8);
    o += 8 + Math.ceil(r.length / 8) * 8;
  }
  return out;
}

/** A DNS query message for `name` with question type `qtype` (1 = A). */
export function dnsQuery(name: string, qtype = 1, id = 0x1234): Uint8Array {
  const labels = name.split('.').filter(Boolean).flatMap((l) => [l.length, ...enc.encode(l)]);
  return new Uint8Array([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...labels, 0, qtype >> 8, qtype & 0xff, 0, 1]);
}
