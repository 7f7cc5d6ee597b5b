/**
 * Decoders of the part-A records of edrkit.h (issue 14a): process access/tampering and eBPF
 * program loads/attaches, plus the leaf-first cgroup names of exec records. Called by
 * records.ts once the frame and the size checks passed; like it, total: a bad length is a
 * {@link RecordDecodeError}.
 *
 * @module
 */
import { RecordDecodeError } from './errors.js';
import { CAPS, LAYOUT } from './layout.js';
import { decodePath, pathTailBytes, type DecodedPath } from './paths.js';
import type { RecordHeader } from './records.js';
import { cString, nulSeparated } from './strings.js';

/** One process acting on another: ptrace, process_vm_readv/writev, or an open of /proc/PID/mem. */
export interface AccessRecord {
  type: 'access'; h: RecordHeader;
  /** `ACCESS_OP` */
  op: number;
  /** The ptrace request, or the open flags of /proc/PID/mem. */
  request: number;
  /** The pid (ptrace: tid) the call named; 0 for /proc/PID/mem (the path names it). */
  target: number;
  ret: number;
  /** ptrace `addr`, or the first remote iovec base of process_vm_*; a u64 as a number (exact to 2^53). */
  addr: number;
  path: DecodedPath;
}

/** A successful bpf(2) PROG_LOAD / PROG_ATTACH / RAW_TRACEPOINT_OPEN / LINK_CREATE. */
export interface BpfRecord {
  type: 'bpf'; h: RecordHeader;
  /** The bpf(2) command (`BPF_OP`). */
  op: number; ret: number; progType: number; attachType: number; insnCnt: number; progId: number;
  /** Program tag, 16 hex digits ('' when the kernel gave none). */
  tag: string;
  name: string;
  /** RAW_TRACEPOINT_OPEN: the tracepoint name. */
  target: string;
}

const TWO_32 = 2 ** 32;

/** Tail bytes of an access record (its path). */
export function accessTailBytes(v: DataView, o: number): number {
  return pathTailBytes(v, o + LAYOUT['edrkit_access_rec.path']);
}

/** Tail bytes of a bpf record (the raw tracepoint name). */
export function bpfTailBytes(v: DataView, o: number): number {
  const n = v.getUint16(o + LAYOUT['edrkit_bpf_rec.target_len'], true);
  if (n > CAPS.EDRKIT_BPF_TARGET - 1) throw new RecordDecodeError(o, `bpf record target length ${n} exceeds ${CAPS.EDRKIT_BPF_TARGET - 1}`);
  return n;
}

export function decodeAccess(bytes: Buffer, v: DataView, o: number, t: number, h: RecordHeader): AccessRecord {
  const addr = v.getUint32(o + LAYOUT['edrkit_access_rec.addr'], true) + v.getUint32(o + LAYOUT['edrkit_access_rec.addr'] + 4, true) * TWO_32;
  return {
    type: 'access',
    h,
    op: v.getUint32(o + LAYOUT['edrkit_access_rec.op'], true),
    request: v.getUint32(o + LAYOUT['edrkit_access_rec.request'], true),
    target: v.getUint32(o + LAYOUT['edrkit_access_rec.target'], true),
    ret: v.getInt32(o + LAYOUT['edrkit_access_rec.ret'], true),
    addr,
    path: decodePath(bytes, v, o + LAYOUT['edrkit_access_rec.path'], t),
  };
}

export function decodeBpf(bytes: Buffer, v: DataView, o: number, t: number, h: RecordHeader): BpfRecord {
  const tagAt = o + LAYOUT['edrkit_bpf_rec.tag'];
  const tagBytes = bytes.subarray(tagAt, tagAt + 8);
  return {
    type: 'bpf',
    h,
    op: v.getUint32(o + LAYOUT['edrkit_bpf_rec.op'], true),
    ret: v.getInt32(o + LAYOUT['edrkit_bpf_rec.ret'], true),
    progType: v.getUint32(o + LAYOUT['edrkit_bpf_rec.prog_type'], true),
    attachType: v.getUint32(o + LAYOUT['edrkit_bpf_rec.attach_type'], true),
    insnCnt: v.getUint32(o + LAYOUT['edrkit_bpf_rec.insn_cnt'], true),
    progId: v.getUint32(o + LAYOUT['edrkit_bpf_rec.prog_id'], true),
    tag: tagBytes.some((b) => b !== 0) ? tagBytes.toString('hex') : '',
    name: cString(bytes, o + LAYOUT['edrkit_bpf_rec.name'], 16),
    target: cString(bytes, t, v.getUint16(o + LAYOUT['edrkit_bpf_rec.target_len'], true)),
  };
}

/**
 * The cgroup of an exec record as a path: the kernel sends up to three names leaf first, each
 * NUL-terminated (ABI 2 sent the leaf alone, without a NUL; that still decodes).
 */
export function cgroupPath(bytes: Buffer, t: number, len: number): string {
  const names = nulSeparated(bytes, t, len).filter((n) => n !== '');
  return names.reverse().join('/');
}
