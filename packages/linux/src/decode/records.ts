/**
 * Decoder of the batches the addon hands over: frames of `[u32 length][u32 0][record]`,
 * each padded to 8 bytes, where a record is one of the edrkit.h structs. Pure (no I/O),
 * DataView-based, and total: any byte string yields records and/or {@link RecordDecodeError}s,
 * never another exception.
 *
 * @module
 */
import { RecordDecodeError } from './errors.js';
import { ABI_VERSION, CAPS, EXEC_FLAG, LAYOUT, REC } from './layout.js';
import { decodePath, type DecodedPath } from './paths.js';
import { cString, ipString, nulSeparated } from './strings.js';

/** Fields common to every record. Times are CLOCK_BOOTTIME nanoseconds. */
export interface RecordHeader {
  tsNs: number;
  startNs: number;
  cgroupId: number;
  pid: number;
  tid: number;
  ppid: number;
  uid: number;
  gid: number;
  flags: number;
  comm: string;
}

/** A `process.exec` record. */
export interface ExecRecord { type: 'exec'; h: RecordHeader; exe: DecodedPath; cwd: DecodedPath; cgroup: string; args: string[]; argsTruncated: boolean }
/** A `process.fork` record (the header is the parent). */
export interface ForkRecord { type: 'fork'; h: RecordHeader; childPid: number; childStartNs: number }
/** A `process.exit` record; `exitCode` is the kernel's `(status << 8) | signal`. */
export interface ExitRecord { type: 'exit'; h: RecordHeader; exitCode: number }
/** A file operation record. */
export interface FileRecord {
  type: 'file'; h: RecordHeader; op: number; ret: number; openFlags: number; fmode: number; mode: number;
  /** Unchanged owner fields are `undefined` (the syscall passed -1). */
  ownerUid: number | undefined; ownerGid: number | undefined; path: DecodedPath; path2: DecodedPath;
}
/** A socket record; ports in host order. */
export interface NetRecord {
  type: 'net'; h: RecordHeader; op: number; ret: number; family: 'ipv4' | 'ipv6'; protocol: 'tcp' | 'udp';
  lport: number; rport: number; laddr: string; raddr: string;
}
/** The head of a UDP datagram sent to port 53. */
export interface DnsRecord { type: 'dns'; h: RecordHeader; family: 'ipv4' | 'ipv6' | undefined; rport: number; raddr: string | undefined; payload: Uint8Array }
/** A kernel module load. */
export interface KmodRecord { type: 'kmod'; h: RecordHeader; name: string; path: DecodedPath }

/** Any decoded record. */
export type DecodedRecord = ExecRecord | ForkRecord | ExitRecord | FileRecord | NetRecord | DnsRecord | KmodRecord;

/** What one batch held. */
export interface DecodedBatch {
  records: DecodedRecord[];
  errors: RecordDecodeError[];
}

const SIZE_OF: Record<number, number> = {
  [REC.EXEC]: LAYOUT.edrkit_exec_rec,
  [REC.FORK]: LAYOUT.edrkit_fork_rec,
  [REC.EXIT]: LAYOUT.edrkit_exit_rec,
  [REC.FILE]: LAYOUT.edrkit_file_rec,
  [REC.NET]: LAYOUT.edrkit_net_rec,
  [REC.DNS]: LAYOUT.edrkit_dns_rec,
  [REC.KMOD]: LAYOUT.edrkit_kmod_rec,
};

function header(bytes: Uint8Array, v: DataView, o: number): RecordHeader {
  return {
    tsNs: Number(v.getBigUint64(o + LAYOUT['edrkit_hdr.ts_ns'], true)),
    startNs: Number(v.getBigUint64(o + LAYOUT['edrkit_hdr.start_ns'], true)),
    cgroupId: Number(v.getBigUint64(o + LAYOUT['edrkit_hdr.cgroup_id'], true)),
    pid: v.getUint32(o + LAYOUT['edrkit_hdr.pid'], true),
    tid: v.getUint32(o + LAYOUT['edrkit_hdr.tid'], true),
    ppid: v.getUint32(o + LAYOUT['edrkit_hdr.ppid'], true),
    uid: v.getUint32(o + LAYOUT['edrkit_hdr.uid'], true),
    gid: v.getUint32(o + LAYOUT['edrkit_hdr.gid'], true),
    flags: v.getUint32(o + LAYOUT['edrkit_hdr.flags'], true),
    comm: cString(bytes, o + LAYOUT['edrkit_hdr.comm'], CAPS.EDRKIT_COMM_LEN),
  };
}

function family(n: number): 'ipv4' | 'ipv6' | undefined {
  return n === 2 ? 'ipv4' : n === 10 ? 'ipv6' : undefined;
}

function owner(n: number): number | undefined {
  return n === 0xffffffff ? undefined : n;
}

/** Decode one record of `len` bytes at `o`. */
export function decodeRecord(bytes: Uint8Array, v: DataView, o: number, len: number): DecodedRecord {
  if (len < LAYOUT.edrkit_hdr) throw new RecordDecodeError(o, `${len} bytes is shorter than the ${LAYOUT.edrkit_hdr}-byte header`);
  const type = v.getUint16(o + LAYOUT['edrkit_hdr.type'], true);
  const abi = v.getUint16(o + LAYOUT['edrkit_hdr.abi'], true);
  const size = v.getUint32(o + LAYOUT['edrkit_hdr.size'], true);
  if (abi !== ABI_VERSION) throw new RecordDecodeError(o, `record ABI ${abi}, decoder expects ${ABI_VERSION}`);
  const expected = SIZE_OF[type];
  if (expected === undefined) throw new RecordDecodeError(o, `unknown record type ${type}`);
  if (size !== expected || len < expected) {
    throw new RecordDecodeError(o, `type ${type} record is ${size} bytes (frame ${len}), expected ${expected}`);
  }
  const h = header(bytes, v, o);
  switch (type) {
    case REC.EXEC: {
      const argsLen = Math.min(v.getUint32(o + LAYOUT['edrkit_exec_rec.args_len'], true), CAPS.EDRKIT_ARGS_MAX);
      return {
        type: 'exec',
        h,
        exe: decodePath(bytes, v, o + LAYOUT['edrkit_exec_rec.exe']),
        cwd: decodePath(bytes, v, o + LAYOUT['edrkit_exec_rec.cwd']),
        cgroup: cString(bytes, o + LAYOUT['edrkit_exec_rec.cgroup'], CAPS.EDRKIT_CGROUP_NAME),
        args: nulSeparated(bytes, o + LAYOUT['edrkit_exec_rec.args'], argsLen),
        argsTruncated: (h.flags & EXEC_FLAG.ARGS_TRUNC) !== 0,
      };
    }
    case REC.FORK:
      return {
        type: 'fork',
        h,
        childPid: v.getUint32(o + LAYOUT['edrkit_fork_rec.child_pid'], true),
        childStartNs: Number(v.getBigUint64(o + LAYOUT['edrkit_fork_rec.child_start_ns'], true)),
      };
    case REC.EXIT:
      return { type: 'exit', h, exitCode: v.getUint32(o + LAYOUT['edrkit_exit_rec.exit_code'], true) };
    case REC.FILE:
      return {
        type: 'file',
        h,
        op: v.getUint32(o + LAYOUT['edrkit_file_rec.op'], true),
        ret: v.getInt32(o + LAYOUT['edrkit_file_rec.ret'], true),
        openFlags: v.getUint32(o + LAYOUT['edrkit_file_rec.open_flags'], true),
        fmode: v.getUint32(o + LAYOUT['edrkit_file_rec.fmode'], true),
        mode: v.getUint32(o + LAYOUT['edrkit_file_rec.mode'], true),
        ownerUid: owner(v.getUint32(o + LAYOUT['edrkit_file_rec.owner_uid'], true)),
        ownerGid: owner(v.getUint32(o + LAYOUT['edrkit_file_rec.owner_gid'], true)),
        path: decodePath(bytes, v, o + LAYOUT['edrkit_file_rec.path']),
        path2: decodePath(bytes, v, o + LAYOUT['edrkit_file_rec.path2']),
      };
    case REC.NET: {
      const fam = family(v.getUint16(o + LAYOUT['edrkit_net_rec.family'], true));
      const proto = v.getUint16(o + LAYOUT['edrkit_net_rec.protocol'], true);
      if (!fam) throw new RecordDecodeError(o, `net record with address family ${v.getUint16(o + LAYOUT['edrkit_net_rec.family'], true)}`);
      if (proto !== 6 && proto !== 17) throw new RecordDecodeError(o, `net record with protocol ${proto}`);
      return {
        type: 'net',
        h,
        op: v.getUint32(o + LAYOUT['edrkit_net_rec.op'], true),
        ret: v.getInt32(o + LAYOUT['edrkit_net_rec.ret'], true),
        family: fam,
        protocol: proto === 6 ? 'tcp' : 'udp',
        lport: v.getUint16(o + LAYOUT['edrkit_net_rec.lport'], true),
        rport: v.getUint16(o + LAYOUT['edrkit_net_rec.rport'], true),
        laddr: ipString(bytes, o + LAYOUT['edrkit_net_rec.laddr'], fam),
        raddr: ipString(bytes, o + LAYOUT['edrkit_net_rec.raddr'], fam),
      };
    }
    case REC.DNS: {
      const fam = family(v.getUint16(o + LAYOUT['edrkit_dns_rec.family'], true));
      const n = Math.min(v.getUint32(o + LAYOUT['edrkit_dns_rec.len'], true), CAPS.EDRKIT_DNS_PAYLOAD);
      const p = o + LAYOUT['edrkit_dns_rec.payload'];
      return {
        type: 'dns',
        h,
        family: fam,
        rport: v.getUint16(o + LAYOUT['edrkit_dns_rec.rport'], true),
        raddr: fam ? ipString(bytes, o + LAYOUT['edrkit_dns_rec.raddr'], fam) : undefined,
        payload: bytes.slice(p, p + n),
      };
    }
    default:
      return {
        type: 'kmod',
        h,
        name: cString(bytes, o + LAYOUT['edrkit_kmod_rec.name'], CAPS.EDRKIT_MOD_NAME),
        path: decodePath(bytes, v, o + LAYOUT['edrkit_kmod_rec.path']),
      };
  }
}

/** Decode one batch from the addon. Bad records are returned as errors; a bad frame ends the batch. */
export function decodeBatch(buffer: ArrayBuffer | Uint8Array): DecodedBatch {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: DecodedRecord[] = [];
  const errors: RecordDecodeError[] = [];
  let o = 0;
  while (o < bytes.length) {
    if (o + 8 > bytes.length) {
      errors.push(new RecordDecodeError(o, `${bytes.length - o} trailing bytes are too short for a frame header`));
      break;
    }
    const len = v.getUint32(o, true);
    const body = o + 8;
    const next = body + Math.ceil(len / 8) * 8;
    if (len === 0 || body + len > bytes.length) {
      errors.push(new RecordDecodeError(o, `frame length ${len} does not fit the ${bytes.length}-byte batch`));
      break;
    }
    try {
      records.push(decodeRecord(bytes, v, body, len));
    } catch (err) {
      if (err instanceof RecordDecodeError) errors.push(err);
      else errors.push(new RecordDecodeError(body, `undecodable: ${(err as Error).message}`));
    }
    o = next;
  }
  return { records, errors };
}
