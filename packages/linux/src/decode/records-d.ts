/**
 * The part D record of edrkit.h (issue 14d): a thread changed its own credentials
 * (`edrkit_creds_rec`: set*id, setgroups, capset, with the credentials before and after).
 * Called by records.ts once the frame and size checks passed; like it, total: a bad value is a
 * {@link RecordDecodeError}.
 *
 * @module
 */
import type { CredentialOperation } from '@edrkit/core';
import { RecordDecodeError } from './errors.js';
import { CAPS, CREDS_FLAG, CREDS_OP, LAYOUT } from './layout.js';
import type { RecordHeader } from './records.js';

/** One `struct edrkit_cred_set`: ids, capability masks (16 hex digits), the groups read. */
export interface DecodedCredSet {
  uid: number; euid: number; suid: number; fsuid: number;
  gid: number; egid: number; sgid: number; fsgid: number;
  capEffective: string; capPermitted: string; capInheritable: string;
  /** How many supplementary groups the thread had (may exceed `groups.length`). */
  ngroups: number;
  /** The first of them (at most `EDRKIT_CRED_GROUPS`). */
  groups: number[];
}

/** A thread changed its own credentials. */
export interface CredsRecord {
  type: 'creds';
  h: RecordHeader;
  operation: CredentialOperation;
  /** The syscall's return value (setfsuid/setfsgid: the previous fsuid/fsgid). */
  ret: number;
  before: DecodedCredSet;
  after: DecodedCredSet;
  /** A set had more groups than the record keeps. */
  groupsTruncated: boolean;
}

const OPERATION_BY_OP: ReadonlyMap<number, CredentialOperation> = new Map(
  (Object.entries(CREDS_OP) as [CredentialOperation, number][]).map(([name, op]) => [op, name]),
);

/** A u64 capability mask as /proc/PID/status writes it. */
function capMask(v: DataView, o: number): string {
  return v.getUint32(o + 4, true).toString(16).padStart(8, '0') + v.getUint32(o, true).toString(16).padStart(8, '0');
}

function credSet(v: DataView, o: number): DecodedCredSet {
  const u32 = (field: string) => v.getUint32(o + LAYOUT[`edrkit_cred_set.${field}` as keyof typeof LAYOUT], true);
  const ngroups = u32('ngroups');
  const groups: number[] = [];
  const at = o + LAYOUT['edrkit_cred_set.groups'];
  for (let i = 0; i < Math.min(ngroups, CAPS.EDRKIT_CRED_GROUPS); i++) groups.push(v.getUint32(at + i * 4, true));
  return {
    uid: u32('uid'), euid: u32('euid'), suid: u32('suid'), fsuid: u32('fsuid'),
    gid: u32('gid'), egid: u32('egid'), sgid: u32('sgid'), fsgid: u32('fsgid'),
    capEffective: capMask(v, o + LAYOUT['edrkit_cred_set.cap_effective']),
    capPermitted: capMask(v, o + LAYOUT['edrkit_cred_set.cap_permitted']),
    capInheritable: capMask(v, o + LAYOUT['edrkit_cred_set.cap_inheritable']),
    ngroups,
    groups,
  };
}

/** Decode a creds record (fixed size, no tail) at `o`. */
export function decodeCreds(v: DataView, o: number, h: RecordHeader): CredsRecord {
  const op = v.getUint32(o + LAYOUT['edrkit_creds_rec.op'], true);
  const operation = OPERATION_BY_OP.get(op);
  if (!operation) throw new RecordDecodeError(o, `creds record with op ${op}`);
  return {
    type: 'creds',
    h,
    operation,
    ret: v.getInt32(o + LAYOUT['edrkit_creds_rec.ret'], true),
    before: credSet(v, o + LAYOUT['edrkit_creds_rec.before']),
    after: credSet(v, o + LAYOUT['edrkit_creds_rec.after']),
    groupsTruncated: (h.flags & CREDS_FLAG.GROUPS_TRUNC) !== 0,
  };
}
