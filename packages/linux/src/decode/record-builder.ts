/**
 * Builds records byte-for-byte in the edrkit.h layout (fixed part + variable-length tail),
 * and batches in the addon's framing. For tests (decoder, converter, fuzzing), benchmarks and
 * tools that synthesise kernel records.
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

/** A record under construction: the fixed part, then tail pieces appended in field order. */
export class Builder {
  readonly fixed: Uint8Array;
  readonly v: DataView;
  private readonly tail: Uint8Array[] = [];

  constructor(type: number, fixedSize: number, h: HeaderInit) {
    this.fixed = new Uint8Array(fixedSize);
    this.v = new DataView(this.fixed.buffer);
    const v = this.v;
    v.setUint16(LAYOUT['edrkit_hdr.type'], type, true);
    v.setUint16(LAYOUT['edrkit_hdr.abi'], ABI_VERSION, true);
    v.setBigUint64(LAYOUT['edrkit_hdr.ts_ns'], BigInt(h.tsNs ?? 0), true);
    v.setBigUint64(LAYOUT['edrkit_hdr.start_ns'], BigInt(h.startNs ?? 0), true);
    v.setBigUint64(LAYOUT['edrkit_hdr.cgroup_id'], BigInt(h.cgroupId ?? 0), true);
    v.setUint32(LAYOUT['edrkit_hdr.pid'], h.pid ?? 0, true);
    v.setUint32(LAYOUT['edrkit_hdr.tid'], h.tid ?? h.pid ?? 0, true);
    v.setUint32(LAYOUT['edrkit_hdr.ppid'], h.ppid ?? 0, true);
    v.setUint32(LAYOUT['edrkit_hdr.uid'], h.uid ?? 0, true);
    v.setUint32(LAYOUT['edrkit_hdr.gid'], h.gid ?? 0, true);
    v.setUint32(LAYOUT['edrkit_hdr.flags'], h.flags ?? 0, true);
    this.fixed.set(enc.encode(h.comm ?? '').subarray(0, CAPS.EDRKIT_COMM_LEN - 1), LAYOUT['edrkit_hdr.comm']);
  }

  /** Append bytes to the tail; returns how many. */
  append(bytes: Uint8Array): number {
    this.tail.push(bytes);
    return bytes.length;
  }

  /** Fill the `edrkit_path` descriptor at `desc` and append its raw and dentry bytes. */
  path(desc: number, p: PathInit | undefined): void {
    if (!p) return;
    let flags = 0;
    let rawLen = 0;
    let dentryLen = 0;
    if (p.raw !== undefined) {
      flags |= PATH_FLAG.HAS_RAW;
      rawLen = this.append(enc.encode(p.raw).subarray(0, CAPS.EDRKIT_RAW_PATH - 1));
    }
    if (p.dentry) {
      flags |= PATH_FLAG.HAS_DENTRY;
      dentryLen = this.append(enc.encode([...p.dentry].reverse().map((c) => `${c}\0`).join('')).subarray(0, CAPS.EDRKIT_DENTRY_BUF));
      this.v.setUint16(desc + LAYOUT['edrkit_path.depth'], p.dentry.length, true);
    }
    if (p.truncated) flags |= PATH_FLAG.TRUNC;
    this.v.setUint16(desc + LAYOUT['edrkit_path.flags'], flags, true);
    this.v.setUint16(desc + LAYOUT['edrkit_path.raw_len'], rawLen, true);
    this.v.setUint16(desc + LAYOUT['edrkit_path.dentry_len'], dentryLen, true);
  }

  /** The whole record, with `edrkit_hdr.size` set. */
  done(): Uint8Array {
    const size = this.tail.reduce((n, t) => n + t.length, this.fixed.length);
    this.v.setUint32(LAYOUT['edrkit_hdr.size'], size, true);
    const out = new Uint8Array(size);
    out.set(this.fixed);
    let o = this.fixed.length;
    for (const t of this.tail) {
      out.set(t, o);
      o += t.length;
    }
    return out;
  }
}

/** An exec record. */
export function execRecord(h: HeaderInit, r: { exe?: PathInit; cwd?: PathInit; cgroup?: string; args?: string[]; argsTruncated?: boolean; fileless?: boolean }): Uint8Array {
  const b = new Builder(REC.EXEC, LAYOUT.edrkit_exec_rec, { ...h, flags: (h.flags ?? 0) | (r.argsTruncated ? 1 : 0) | (r.fileless ? 2 : 0) });
  b.path(LAYOUT['edrkit_exec_rec.exe'], r.exe);
  b.path(LAYOUT['edrkit_exec_rec.cwd'], r.cwd);
  // The kernel sends up to three cgroup names leaf first, each NUL-terminated.
  const names = (r.cgroup ?? '').split('/').filter(Boolean).reverse().map((n) => `${n}\0`).join('');
  const cgroup = b.append(enc.encode(names).subarray(0, CAPS.EDRKIT_CGROUP_NAME - 1));
  const args = b.append(enc.encode((r.args ?? []).map((a) => `${a}\0`).join('')).subarray(0, CAPS.EDRKIT_ARGS_MAX));
  b.v.setUint16(LAYOUT['edrkit_exec_rec.cgroup_len'], cgroup, true);
  b.v.setUint16(LAYOUT['edrkit_exec_rec.args_len'], args, true);
  return b.done();
}

/** A fork record (header = parent). */
export function forkRecord(h: HeaderInit, childPid: number, childStartNs = 0): Uint8Array {
  const b = new Builder(REC.FORK, LAYOUT.edrkit_fork_rec, h);
  b.v.setUint32(LAYOUT['edrkit_fork_rec.child_pid'], childPid, true);
  b.v.setBigUint64(LAYOUT['edrkit_fork_rec.child_start_ns'], BigInt(childStartNs), true);
  return b.done();
}

/** An exit record; `exitCode` is the kernel's `(status << 8) | signal`. */
export function exitRecord(h: HeaderInit, exitCode: number): Uint8Array {
  const b = new Builder(REC.EXIT, LAYOUT.edrkit_exit_rec, h);
  b.v.setUint32(LAYOUT['edrkit_exit_rec.exit_code'], exitCode, true);
  return b.done();
}

/** A file record. */
export function fileRecord(
  h: HeaderInit,
  r: { op: number; ret?: number; openFlags?: number; fmode?: number; mode?: number; ownerUid?: number; ownerGid?: number; repeat?: number; path?: PathInit; path2?: PathInit },
): Uint8Array {
  const b = new Builder(REC.FILE, LAYOUT.edrkit_file_rec, h);
  b.v.setUint32(LAYOUT['edrkit_file_rec.op'], r.op, true);
  b.v.setInt32(LAYOUT['edrkit_file_rec.ret'], r.ret ?? 0, true);
  b.v.setUint32(LAYOUT['edrkit_file_rec.open_flags'], r.openFlags ?? 0, true);
  b.v.setUint32(LAYOUT['edrkit_file_rec.fmode'], r.fmode ?? 0, true);
  b.v.setUint32(LAYOUT['edrkit_file_rec.mode'], r.mode ?? 0, true);
  b.v.setUint32(LAYOUT['edrkit_file_rec.owner_uid'], r.ownerUid ?? 0xffffffff, true);
  b.v.setUint32(LAYOUT['edrkit_file_rec.owner_gid'], r.ownerGid ?? 0xffffffff, true);
  b.v.setUint32(LAYOUT['edrkit_file_rec.repeat'], r.repeat ?? 0, true);
  b.path(LAYOUT['edrkit_file_rec.path'], r.path);
  b.path(LAYOUT['edrkit_file_rec.path2'], r.path2);
  return b.done();
}

/** A net record; addresses as byte arrays (4 or 16 bytes). */
export function netRecord(
  h: HeaderInit,
  r: { op: number; family: number; protocol: number; lport: number; rport: number; laddr: number[]; raddr: number[]; ret?: number },
): Uint8Array {
  const b = new Builder(REC.NET, LAYOUT.edrkit_net_rec, h);
  b.v.setUint32(LAYOUT['edrkit_net_rec.op'], r.op, true);
  b.v.setInt32(LAYOUT['edrkit_net_rec.ret'], r.ret ?? 0, true);
  b.v.setUint16(LAYOUT['edrkit_net_rec.family'], r.family, true);
  b.v.setUint16(LAYOUT['edrkit_net_rec.protocol'], r.protocol, true);
  b.v.setUint16(LAYOUT['edrkit_net_rec.lport'], r.lport, true);
  b.v.setUint16(LAYOUT['edrkit_net_rec.rport'], r.rport, true);
  b.fixed.set(r.laddr.slice(0, 16), LAYOUT['edrkit_net_rec.laddr']);
  b.fixed.set(r.raddr.slice(0, 16), LAYOUT['edrkit_net_rec.raddr']);
  return b.done();
}

/** A DNS record carrying `payload` (a UDP datagram head). */
export function dnsRecord(h: HeaderInit, r: { family?: number; rport?: number; raddr?: number[]; payload: Uint8Array }): Uint8Array {
  const b = new Builder(REC.DNS, LAYOUT.edrkit_dns_rec, h);
  b.v.setUint16(LAYOUT['edrkit_dns_rec.family'], r.family ?? 2, true);
  b.v.setUint16(LAYOUT['edrkit_dns_rec.rport'], r.rport ?? 53, true);
  b.fixed.set((r.raddr ?? [127, 0, 0, 53]).slice(0, 16), LAYOUT['edrkit_dns_rec.raddr']);
  b.v.setUint32(LAYOUT['edrkit_dns_rec.len'], b.append(r.payload.subarray(0, CAPS.EDRKIT_DNS_PAYLOAD)), true);
  return b.done();
}

/** A kernel module load record (`finit_module` gives a path; `init_module` none). */
export function kmodRecord(h: HeaderInit, r: { path?: PathInit }): Uint8Array {
  const b = new Builder(REC.KMOD, LAYOUT.edrkit_kmod_rec, h);
  b.path(LAYOUT['edrkit_kmod_rec.path'], r.path);
  return b.done();
}

/** An image (executable file mapping) record. */
export function imageRecord(h: HeaderInit, r: { path?: PathInit; prot?: number; flags?: number }): Uint8Array {
  const b = new Builder(REC.IMAGE, LAYOUT.edrkit_image_rec, h);
  b.v.setUint32(LAYOUT['edrkit_image_rec.prot'], r.prot ?? 5, true);
  b.v.setUint32(LAYOUT['edrkit_image_rec.flags'], r.flags ?? 0x802, true);
  b.path(LAYOUT['edrkit_image_rec.path'], r.path);
  return b.done();
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

/** A close-after-write record (part B): a tracked file in watched directory `dirIno` was closed. */
export function closeWriteRecord(h: HeaderInit, r: { dirIno: number; ino?: number; name: string; reason?: number }): Uint8Array {
  const b = new Builder(REC.CLOSE_WRITE, LAYOUT.edrkit_cw_rec, h);
  b.v.setBigUint64(LAYOUT['edrkit_cw_rec.dir_ino'], BigInt(r.dirIno), true);
  b.v.setBigUint64(LAYOUT['edrkit_cw_rec.ino'], BigInt(r.ino ?? 0), true);
  b.v.setUint32(LAYOUT['edrkit_cw_rec.reason'], r.reason ?? 1, true);
  const n = b.append(enc.encode(r.name).subarray(0, CAPS.EDRKIT_RAW_PATH - 1));
  b.v.setUint16(LAYOUT['edrkit_cw_rec.name_len'], n, true);
  return b.done();
}
