/**
 * Decoder of the batches the addon hands over: frames of `[u32 length][u32 0][record]`,
 * each padded to 8 bytes, where a record is one of the edrkit.h structs followed by its
 * variable-length tail. Pure (no I/O), DataView-based, and total: any byte string yields
 * records and/or {@link RecordDecodeError}s, never another exception.
 *
 * @module
 */
import { RecordDecodeError } from './errors.js';
import { ABI_VERSION, CAPS, EXEC_FLAG, LAYOUT, REC } from './layout.js';
import { decodePath, pathTailBytes, type DecodedPath } from './paths.js';
import { accessTailBytes, bpfTailBytes, cgroupPath, decodeAccess, decodeBpf, type AccessRecord, type BpfRecord } from './records-a.js';
import { asBuffer, cString, ipString, nulSeparated } from './strings.js';
import { decodeCreds, type CredsRecord } from './records-d.js';
import { closeWriteTailBytes, decodeCloseWrite, decodePam, decodeShellLine, shellLineTailBytes, type CloseWriteRecord, type PamRecord, type ShellLineRecord } from './records-b.js';

export type { CloseWriteRecord, PamRecord, ShellLineRecord } from './records-b.js';

export type { AccessRecord, BpfRecord } from './records-a.js';
export type { CredsRecord, DecodedCredSet } from './records-d.js';

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
export interface ExecRecord {
  type: 'exec'; h: RecordHeader; exe: DecodedPath; cwd: DecodedPath;
  /** Up to three levels of the cgroup path, root-most first (`system.slice/docker-<id>.scope`). */
  cgroup: string; args: string[]; argsTruncated: boolean;
  /** The image has no link left: a memfd or a deleted file. */
  fileless: boolean;
}
/** A `process.fork` record (the header is the parent). */
export interface ForkRecord { type: 'fork'; h: RecordHeader; childPid: number; childStartNs: number }
/** A `process.exit` record; `exitCode` is the kernel's `(status << 8) | signal`. */
export interface ExitRecord { type: 'exit'; h: RecordHeader; exitCode: number }
/** A file operation record. */
export interface FileRecord {
  type: 'file'; h: RecordHeader; op: number; ret: number; openFlags: number; fmode: number; mode: number;
  /** Unchanged owner fields are `undefined` (the syscall passed -1). */
  ownerUid: number | undefined; ownerGid: number | undefined; path: DecodedPath; path2: DecodedPath;
  /** Identical opens folded into this one in the kernel since the previous record (backendOptions.coalesceMs). */
  repeat: number;
}
/** A socket record; ports in host order. */
export interface NetRecord {
  type: 'net'; h: RecordHeader; op: number; ret: number; family: 'ipv4' | 'ipv6'; protocol: 'tcp' | 'udp';
  lport: number; rport: number; laddr: string; raddr: string;
}
/** The head of a UDP datagram sent to port 53. */
export interface DnsRecord { type: 'dns'; h: RecordHeader; family: 'ipv4' | 'ipv6' | undefined; rport: number; raddr: string | undefined; payload: Uint8Array }
/** A kernel module load; the module name is derived from the path by the converter. */
export interface KmodRecord { type: 'kmod'; h: RecordHeader; path: DecodedPath }
/** A file mapped executable (a shared object loaded). */
export interface ImageRecord { type: 'image'; h: RecordHeader; prot: number; flags: number; path: DecodedPath }

/** Any decoded record. */
export type DecodedRecord = ExecRecord | ForkRecord | ExitRecord | FileRecord | NetRecord | DnsRecord | KmodRecord | ImageRecord | AccessRecord | BpfRecord | CredsRecord | CloseWriteRecord | ShellLineRecord | PamRecord;

/** What one batch held. */
export interface DecodedBatch {
  records: DecodedRecord[];
  errors: RecordDecodeError[];
}

/** Size of each record type's fixed part; the tail follows it. */
const FIXED_SIZE: readonly number[] = (() => {
  const s: number[] = [];
  s[REC.EXEC] = LAYOUT.edrkit_exec_rec;
  s[REC.FORK] = LAYOUT.edrkit_fork_rec;
  s[REC.EXIT] = LAYOUT.edrkit_exit_rec;
  s[REC.FILE] = LAYOUT.edrkit_file_rec;
  s[REC.NET] = LAYOUT.edrkit_net_rec;
  s[REC.DNS] = LAYOUT.edrkit_dns_rec;
  s[REC.KMOD] = LAYOUT.edrkit_kmod_rec;
  s[REC.IMAGE] = LAYOUT.edrkit_image_rec;
  s[REC.ACCESS] = LAYOUT.edrkit_access_rec;
  s[REC.BPF] = LAYOUT.edrkit_bpf_rec;
  s[REC.CREDS] = LAYOUT.edrkit_creds_rec;
  s[REC.CLOSE_WRITE] = LAYOUT.edrkit_cw_rec;
  s[REC.SHELL_LINE] = LAYOUT.edrkit_line_rec;
  s[REC.PAM] = LAYOUT.edrkit_pam_rec;
  return s;
})();

const TWO_32 = 2 ** 32;

/** A u64 as a number without a BigInt allocation (exact up to 2^53: 104 days of nanoseconds, like Number(bigint)). */
function u64(v: DataView, o: number): number {
  return v.getUint32(o, true) + v.getUint32(o + 4, true) * TWO_32;
}

// comm repeats from record to record (one process doing many things): reuse the last string
// when the 16 bytes are the same, instead of decoding it again.
const lastComm = new Uint8Array(CAPS.EDRKIT_COMM_LEN);
let lastCommText = '';

function comm(bytes: Buffer, o: number): string {
  let same = true;
  for (let i = 0; i < CAPS.EDRKIT_COMM_LEN; i++) {
    if (bytes[o + i] !== lastComm[i]) {
      same = false;
      break;
    }
  }
  if (same) return lastCommText;
  for (let i = 0; i < CAPS.EDRKIT_COMM_LEN; i++) lastComm[i] = bytes[o + i]!;
  lastCommText = cString(bytes, o, CAPS.EDRKIT_COMM_LEN);
  return lastCommText;
}

function header(bytes: Buffer, v: DataView, o: number): RecordHeader {
  return {
    tsNs: u64(v, o + LAYOUT['edrkit_hdr.ts_ns']),
    startNs: u64(v, o + LAYOUT['edrkit_hdr.start_ns']),
    cgroupId: u64(v, o + LAYOUT['edrkit_hdr.cgroup_id']),
    pid: v.getUint32(o + LAYOUT['edrkit_hdr.pid'], true),
    tid: v.getUint32(o + LAYOUT['edrkit_hdr.tid'], true),
    ppid: v.getUint32(o + LAYOUT['edrkit_hdr.ppid'], true),
    uid: v.getUint32(o + LAYOUT['edrkit_hdr.uid'], true),
    gid: v.getUint32(o + LAYOUT['edrkit_hdr.gid'], true),
    flags: v.getUint32(o + LAYOUT['edrkit_hdr.flags'], true),
    comm: comm(bytes, o + LAYOUT['edrkit_hdr.comm']),
  };
}

function family(n: number): 'ipv4' | 'ipv6' | undefined {
  return n === 2 ? 'ipv4' : n === 10 ? 'ipv6' : undefined;
}

function owner(n: number): number | undefined {
  return n === 0xffffffff ? undefined : n;
}

/** Tail bytes the fixed part of a record at `o` says it has; throws when a length is over its cap. */
function tailBytes(v: DataView, o: number, type: number): number {
  switch (type) {
    case REC.EXEC: {
      const cgroup = v.getUint16(o + LAYOUT['edrkit_exec_rec.cgroup_len'], true);
      const args = v.getUint16(o + LAYOUT['edrkit_exec_rec.args_len'], true);
      if (cgroup > CAPS.EDRKIT_CGROUP_NAME - 1 || args > CAPS.EDRKIT_ARGS_MAX) {
        throw new RecordDecodeError(o, `exec record lengths cgroup ${cgroup} / args ${args} exceed ${CAPS.EDRKIT_CGROUP_NAME - 1} / ${CAPS.EDRKIT_ARGS_MAX}`);
      }
      return pathTailBytes(v, o + LAYOUT['edrkit_exec_rec.exe']) + pathTailBytes(v, o + LAYOUT['edrkit_exec_rec.cwd']) + cgroup + args;
    }
    case REC.FILE:
      return pathTailBytes(v, o + LAYOUT['edrkit_file_rec.path']) + pathTailBytes(v, o + LAYOUT['edrkit_file_rec.path2']);
    case REC.DNS: {
      const n = v.getUint32(o + LAYOUT['edrkit_dns_rec.len'], true);
      if (n > CAPS.EDRKIT_DNS_PAYLOAD) throw new RecordDecodeError(o, `dns payload length ${n} exceeds ${CAPS.EDRKIT_DNS_PAYLOAD}`);
      return n;
    }
    case REC.KMOD:
      return pathTailBytes(v, o + LAYOUT['edrkit_kmod_rec.path']);
    case REC.IMAGE:
      return pathTailBytes(v, o + LAYOUT['edrkit_image_rec.path']);
    case REC.ACCESS:
      return accessTailBytes(v, o);
    case REC.BPF:
      return bpfTailBytes(v, o);
    case REC.CLOSE_WRITE:
      return closeWriteTailBytes(v, o);
    case REC.SHELL_LINE:
      return shellLineTailBytes(v, o);
    default:
      return 0;
  }
}

/** Decode one record of `len` bytes at `o` (the frame may be longer than the record). */
export function decodeRecord(input: Uint8Array, v: DataView, o: number, len: number): DecodedRecord {
  const bytes = asBuffer(input);
  if (len < LAYOUT.edrkit_hdr) throw new RecordDecodeError(o, `${len} bytes is shorter than the ${LAYOUT.edrkit_hdr}-byte header`);
  const type = v.getUint16(o + LAYOUT['edrkit_hdr.type'], true);
  const abi = v.getUint16(o + LAYOUT['edrkit_hdr.abi'], true);
  const size = v.getUint32(o + LAYOUT['edrkit_hdr.size'], true);
  if (abi !== ABI_VERSION) throw new RecordDecodeError(o, `record ABI ${abi}, decoder expects ${ABI_VERSION}`);
  const fixed = FIXED_SIZE[type];
  if (fixed === undefined) throw new RecordDecodeError(o, `unknown record type ${type}`);
  if (size < fixed || size > len) {
    throw new RecordDecodeError(o, `type ${type} record is ${size} bytes (frame ${len}), expected ${fixed} or more`);
  }
  const tail = tailBytes(v, o, type);
  if (fixed + tail !== size) {
    throw new RecordDecodeError(o, `type ${type} record is ${size} bytes, but its fields describe ${fixed} + ${tail}`);
  }
  const h = header(bytes, v, o);
  let t = o + fixed; // cursor in the tail
  switch (type) {
    case REC.EXEC: {
      const exeDesc = o + LAYOUT['edrkit_exec_rec.exe'];
      const cwdDesc = o + LAYOUT['edrkit_exec_rec.cwd'];
      const exe = decodePath(bytes, v, exeDesc, t);
      t += pathTailBytes(v, exeDesc);
      const cwd = decodePath(bytes, v, cwdDesc, t);
      t += pathTailBytes(v, cwdDesc);
      const cgroupLen = v.getUint16(o + LAYOUT['edrkit_exec_rec.cgroup_len'], true);
      const cgroup = cgroupPath(bytes, t, cgroupLen);
      t += cgroupLen;
      const args = nulSeparated(bytes, t, v.getUint16(o + LAYOUT['edrkit_exec_rec.args_len'], true));
      return { type: 'exec', h, exe, cwd, cgroup, args, argsTruncated: (h.flags & EXEC_FLAG.ARGS_TRUNC) !== 0, fileless: (h.flags & EXEC_FLAG.FILELESS) !== 0 };
    }
    case REC.FORK:
      return { type: 'fork', h, childPid: v.getUint32(o + LAYOUT['edrkit_fork_rec.child_pid'], true), childStartNs: u64(v, o + LAYOUT['edrkit_fork_rec.child_start_ns']) };
    case REC.EXIT:
      return { type: 'exit', h, exitCode: v.getUint32(o + LAYOUT['edrkit_exit_rec.exit_code'], true) };
    case REC.FILE: {
      const desc = o + LAYOUT['edrkit_file_rec.path'];
      const path = decodePath(bytes, v, desc, t);
      t += pathTailBytes(v, desc);
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
        path,
        path2: decodePath(bytes, v, o + LAYOUT['edrkit_file_rec.path2'], t),
        repeat: v.getUint32(o + LAYOUT['edrkit_file_rec.repeat'], true),
      };
    }
    case REC.NET: {
      const rawFamily = v.getUint16(o + LAYOUT['edrkit_net_rec.family'], true);
      const fam = family(rawFamily);
      const proto = v.getUint16(o + LAYOUT['edrkit_net_rec.protocol'], true);
      if (!fam) throw new RecordDecodeError(o, `net record with address family ${rawFamily}`);
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
      const n = v.getUint32(o + LAYOUT['edrkit_dns_rec.len'], true);
      return {
        type: 'dns',
        h,
        family: fam,
        rport: v.getUint16(o + LAYOUT['edrkit_dns_rec.rport'], true),
        raddr: fam ? ipString(bytes, o + LAYOUT['edrkit_dns_rec.raddr'], fam) : undefined,
        payload: bytes.slice(t, t + n), // a copy: the batch buffer is not kept
      };
    }
    case REC.KMOD:
      return { type: 'kmod', h, path: decodePath(bytes, v, o + LAYOUT['edrkit_kmod_rec.path'], t) };
    case REC.ACCESS:
      return decodeAccess(bytes, v, o, t, h);
    case REC.BPF:
      return decodeBpf(bytes, v, o, t, h);
    case REC.CREDS:
      return decodeCreds(v, o, h);
    case REC.CLOSE_WRITE:
      return decodeCloseWrite(bytes, v, o, t, h);
    case REC.SHELL_LINE:
      return decodeShellLine(bytes, v, o, t, h);
    case REC.PAM:
      return decodePam(bytes, v, o, h);
    default:
      return {
        type: 'image',
        h,
        prot: v.getUint32(o + LAYOUT['edrkit_image_rec.prot'], true),
        flags: v.getUint32(o + LAYOUT['edrkit_image_rec.flags'], true),
        path: decodePath(bytes, v, o + LAYOUT['edrkit_image_rec.path'], t),
      };
  }
}

/** Decode one batch from the addon. Bad records are returned as errors; a bad frame ends the batch. */
export function decodeBatch(buffer: ArrayBuffer | Uint8Array): DecodedBatch {
  const bytes = buffer instanceof Uint8Array ? asBuffer(buffer) : Buffer.from(buffer);
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
    o = body + Math.ceil(len / 8) * 8;
  }
  return { records, errors };
}
