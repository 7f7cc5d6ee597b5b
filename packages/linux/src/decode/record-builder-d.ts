/**
 * Builder of the part-D record (issue 14d) in the edrkit.h layout: a credential change, for
 * tests, fuzzing and tools. See record-builder.ts for the others.
 *
 * @module
 */
import type { CredentialOperation } from '@edrkit/core';
import { Builder, type HeaderInit } from './record-builder.js';
import { CAPS, CREDS_OP, LAYOUT, REC } from './layout.js';

/** One credential set; anything omitted is 0 (capability masks: 16 hex digits). */
export interface CredSetInit {
  uid?: number; euid?: number; suid?: number; fsuid?: number;
  gid?: number; egid?: number; sgid?: number; fsgid?: number;
  capEffective?: string; capPermitted?: string; capInheritable?: string;
  /** The groups; `ngroups` defaults to their count (set it higher to model a longer list). */
  groups?: number[];
  ngroups?: number;
}

function setCreds(b: Builder, at: number, c: CredSetInit): void {
  const ids = ['uid', 'euid', 'suid', 'fsuid', 'gid', 'egid', 'sgid', 'fsgid'] as const;
  for (const k of ids) b.v.setUint32(at + LAYOUT[`edrkit_cred_set.${k}`], c[k] ?? 0, true);
  b.v.setBigUint64(at + LAYOUT['edrkit_cred_set.cap_effective'], BigInt(`0x${c.capEffective ?? '0'}`), true);
  b.v.setBigUint64(at + LAYOUT['edrkit_cred_set.cap_permitted'], BigInt(`0x${c.capPermitted ?? '0'}`), true);
  b.v.setBigUint64(at + LAYOUT['edrkit_cred_set.cap_inheritable'], BigInt(`0x${c.capInheritable ?? '0'}`), true);
  const groups = (c.groups ?? []).slice(0, CAPS.EDRKIT_CRED_GROUPS);
  b.v.setUint32(at + LAYOUT['edrkit_cred_set.ngroups'], c.ngroups ?? groups.length, true);
  groups.forEach((g, i) => b.v.setUint32(at + LAYOUT['edrkit_cred_set.groups'] + i * 4, g, true));
}

/** A creds record (`operation`: the call; `op` overrides its number, e.g. to fuzz an unknown one). */
export function credsRecord(h: HeaderInit, r: { operation: CredentialOperation; op?: number; ret?: number; before: CredSetInit; after: CredSetInit }): Uint8Array {
  const b = new Builder(REC.CREDS, LAYOUT.edrkit_creds_rec, h);
  b.v.setUint32(LAYOUT['edrkit_creds_rec.op'], r.op ?? CREDS_OP[r.operation], true);
  b.v.setInt32(LAYOUT['edrkit_creds_rec.ret'], r.ret ?? 0, true);
  setCreds(b, LAYOUT['edrkit_creds_rec.before'], r.before);
  setCreds(b, LAYOUT['edrkit_creds_rec.after'], r.after);
  return b.done();
}
