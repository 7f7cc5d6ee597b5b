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

/** A change as a comparable string: the call and both sets, capabilities and groups included. */
function changeKey(rec: CredsRecord): string {
  const set = (s: DecodedCredSet) => `${s.uid},${s.euid},${s.suid},${s.fsuid},${s.gid},${s.egid},${s.sgid},${s.fsgid},${s.capEffective},${s.capPermitted},${s.capInheritable},${s.ngroups}:${s.groups.join(',')}`;
  return `${rec.operation}|${set(rec.before)}|${set(rec.after)}`;
}

/** Processes whose last change is remembered; beyond this the memory is dropped (a repeat is then reported again). */
const MAX_REMEMBERED = 4096;

/**
 * Converts creds records. Credentials are per thread in Linux, and glibc makes every thread of
 * a process repeat a set*id call so they agree (its setxid broadcast): each thread's record
 * shows the same change. That is one change of the process, so a record equal to the last one
 * reported for its process (same call, same sets before and after) gives no event and is
 * counted in {@link CredentialsConverter.folded}. A real second change can only follow a change
 * back (reported, which replaces the memory) or an exec (which clears it, see `forget`). This is
 * done here rather than in the kernel, where the threads leave the call at once on other CPUs.
 */
export class CredentialsConverter {
  /** Thread repeats of a reported change (no event). */
  folded = 0;
  private readonly last = new Map<number, { startNs: number; key: string }>();

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

  /** The process execed or exited: its next change is new whatever it looks like. */
  forget(pid: number): void {
    this.last.delete(pid);
  }

  /** Append the `process.credentials` event of `rec` (when the kind is asked for and it is no thread repeat). */
  creds(rec: CredsRecord, out: EventDraft[]): void {
    if (!this.want) return;
    const h = rec.h;
    const key = changeKey(rec);
    const prev = this.last.get(h.pid);
    if (prev && prev.startNs === h.startNs && prev.key === key) {
      this.folded++;
      return;
    }
    if (!prev && this.last.size >= MAX_REMEMBERED) this.last.clear();
    this.last.set(h.pid, { startNs: h.startNs, key });
    out.push({ kind: 'process.credentials', time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process: this.views.process(h), raw: this.raw(h, rec), credentials: credentialsOf(rec) });
  }
}
