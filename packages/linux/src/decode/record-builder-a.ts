/**
 * Builders of the part-A records (issue 14a) in the edrkit.h layout: process access and eBPF
 * records, for tests, fuzzing and tools. See record-builder.ts for the others.
 *
 * @module
 */
import { Builder, type HeaderInit, type PathInit } from './record-builder.js';
import { CAPS, LAYOUT, REC } from './layout.js';

const enc = new TextEncoder();

/** An access record (`op`: `ACCESS_OP`; `path` for /proc/PID/mem). */
export function accessRecord(h: HeaderInit, r: { op: number; request?: number; target?: number; ret?: number; addr?: number; path?: PathInit }): Uint8Array {
  const b = new Builder(REC.ACCESS, LAYOUT.edrkit_access_rec, h);
  b.v.setUint32(LAYOUT['edrkit_access_rec.op'], r.op, true);
  b.v.setUint32(LAYOUT['edrkit_access_rec.request'], r.request ?? 0, true);
  b.v.setUint32(LAYOUT['edrkit_access_rec.target'], r.target ?? 0, true);
  b.v.setInt32(LAYOUT['edrkit_access_rec.ret'], r.ret ?? 0, true);
  b.v.setBigUint64(LAYOUT['edrkit_access_rec.addr'], BigInt(r.addr ?? 0), true);
  b.path(LAYOUT['edrkit_access_rec.path'], r.path);
  return b.done();
}

/** A bpf record (`op`: the bpf(2) command, `BPF_OP`). */
export function bpfRecord(
  h: HeaderInit,
  r: { op: number; ret?: number; progType?: number; attachType?: number; insnCnt?: number; progId?: number; tag?: string; name?: string; target?: string },
): Uint8Array {
  const b = new Builder(REC.BPF, LAYOUT.edrkit_bpf_rec, h);
  b.v.setUint32(LAYOUT['edrkit_bpf_rec.op'], r.op, true);
  b.v.setInt32(LAYOUT['edrkit_bpf_rec.ret'], r.ret ?? 3, true);
  b.v.setUint32(LAYOUT['edrkit_bpf_rec.prog_type'], r.progType ?? 0, true);
  b.v.setUint32(LAYOUT['edrkit_bpf_rec.attach_type'], r.attachType ?? 0, true);
  b.v.setUint32(LAYOUT['edrkit_bpf_rec.insn_cnt'], r.insnCnt ?? 0, true);
  b.v.setUint32(LAYOUT['edrkit_bpf_rec.prog_id'], r.progId ?? 0, true);
  if (r.tag) b.fixed.set(Buffer.from(r.tag, 'hex').subarray(0, 8), LAYOUT['edrkit_bpf_rec.tag']);
  b.fixed.set(enc.encode(r.name ?? '').subarray(0, 15), LAYOUT['edrkit_bpf_rec.name']);
  b.v.setUint16(LAYOUT['edrkit_bpf_rec.target_len'], b.append(enc.encode(r.target ?? '').subarray(0, CAPS.EDRKIT_BPF_TARGET - 1)), true);
  return b.done();
}
