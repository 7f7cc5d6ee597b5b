/**
 * Part-D records (issue 14d) to event drafts: `process.credentials` from a creds record (a
 * thread changed its own credentials with set*id, setgroups or capset). Used by
 * {@link RecordConverter}; shares its process views, so `process` looks the same as on the
 * other kinds (its `uid`/`gid` are those after the change).
 *
 * @module
 */
import type { CapabilitySet, CredentialSet, Credentials, EventDraft } from '@edrkit/core';
import type { CredsRecord, DecodedCredSet, RecordHeader } from '../decode/records.js';
import type { ProcessViews } from './process-views.js';

const PLATFORM = 'linux' as const;
const SOURCE = 'linux-ebpf' as const;

function ids(s: DecodedCredSet, withGroups: boolean): CredentialSet {
  const out: CredentialSet = { uid: s.uid, euid: s.euid, suid: s.suid, fsuid: s.fsuid, gid: s.gid, egid: s.egid, sgid: s.sgid, fsgid: s.fsgid };
  if (withGroups) out.groups = s.groups;
  return out;
}

function caps(s: DecodedCredSet): CapabilitySet {
  return { effective: s.capEffective, permitted: s.capPermitted, inheritable: s.capInheritable };
}

function sameGroups(a: DecodedCredSet, b: DecodedCredSet): boolean {
  return a.ngroups === b.ngroups && a.groups.length === b.groups.length && a.groups.every((g, i) => g === b.groups[i]);
}

/**
 * The `credentials` payload of a record. The groups are shown on `setgroups` and whenever
 * they changed; the capability sets on `capset` and whenever they changed (a `setuid` away
 * from root clears them): elsewhere they are the same before and after and would only repeat.
 */
export function credentialsOf(rec: CredsRecord): Credentials {
  const { before, after, operation } = rec;
  const groups = operation === 'setgroups' || !sameGroups(before, after);
  const capsChanged = before.capEffective !== after.capEffective || before.capPermitted !== after.capPermitted || before.capInheritable !== after.capInheritable;
  const out: Credentials = { operation, before: ids(before, groups), after: ids(after, groups) };
  if (operation === 'capset' || capsChanged) out.capabilities = { before: caps(before), after: caps(after) };
  return out;
}

/** Converts creds records. */
export class CredentialsConverter {
  constructor(
    private readonly views: ProcessViews,
    private readonly want: boolean,
    private readonly toEpochMs: (bootNs: number) => number,
  ) {}

  private raw(h: RecordHeader, rec: CredsRecord): { linux: Record<string, unknown> } {
    const linux: Record<string, unknown> = { cgroupId: h.cgroupId, comm: h.comm, syscall: rec.operation };
    if (rec.groupsTruncated) linux.groupsTruncated = true;
    return { linux };
  }

  /** Append the `process.credentials` event of `rec` (when the kind is asked for). */
  creds(rec: CredsRecord, out: EventDraft[]): void {
    if (!this.want) return;
    const h = rec.h;
    out.push({ kind: 'process.credentials', time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process: this.views.process(h), raw: this.raw(h, rec), credentials: credentialsOf(rec) });
  }
}
