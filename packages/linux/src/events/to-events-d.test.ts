import { describe, expect, it } from 'vitest';
import { OBSERVABLE_KINDS, parseEvent, type ObservableKind } from '@edrkit/core';
import { batch, execRecord } from '../decode/record-builder.js';
import { credsRecord, type CredSetInit } from '../decode/record-builder-d.js';
import { CREDS_FLAG } from '../decode/layout.js';
import { decodeBatch } from '../decode/records.js';
import { ProcessCache } from '../proc/process-cache.js';
import { RecordConverter } from './to-events.js';

const toMs = (ns: number) => 1_700_000_000_000 + ns / 1e6;
const FULL = '000001ffffffffff';
const ZERO = '0000000000000000';
const root: CredSetInit = { capEffective: FULL, capPermitted: FULL, groups: [0] };
const nobody: CredSetInit = { uid: 65534, euid: 65534, suid: 65534, fsuid: 65534, gid: 65534, egid: 65534, sgid: 65534, fsgid: 65534, groups: [0] };

function run(records: Uint8Array[], kinds: readonly ObservableKind[] = OBSERVABLE_KINDS) {
  const conv = new RecordConverter(new ProcessCache({ bootToEpochMs: toMs, readProc: false }), new Set(kinds), toMs);
  const { records: recs, errors } = decodeBatch(batch(records));
  expect(errors).toEqual([]);
  const events = recs.flatMap((r) => conv.convert(r));
  for (const e of events) parseEvent({ ...e, seq: 0 });
  return events.filter((e) => e.kind === 'process.credentials');
}

const h = { tsNs: 3e9, startNs: 1e9, pid: 70, tid: 71, ppid: 1, uid: 65534, gid: 65534, comm: 'setpriv' };
const exec = execRecord({ ...h, uid: 0, gid: 0 }, { exe: { dentry: ['usr', 'bin', 'setpriv'] }, args: ['setpriv', '--reuid=65534', 'true'] });

describe('part D conversion: process.credentials', () => {
  it('a root drop: ids before and after, capabilities because they changed, process from the cache with the ids after', () => {
    const [e] = run([exec, credsRecord(h, { operation: 'setresuid', before: root, after: { ...nobody, gid: 0, egid: 0, sgid: 0, fsgid: 0 } })]);
    expect(e).toMatchObject({
      kind: 'process.credentials',
      time: toMs(3e9),
      platform: 'linux',
      source: 'linux-ebpf',
      process: { pid: 70, tid: 71, uid: 65534, exe: '/usr/bin/setpriv', args: ['setpriv', '--reuid=65534', 'true'] },
      raw: { linux: { syscall: 'setresuid', comm: 'setpriv' } },
      credentials: {
        operation: 'setresuid',
        before: { uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0 },
        after: { uid: 65534, euid: 65534, suid: 65534, fsuid: 65534, gid: 0, egid: 0, sgid: 0, fsgid: 0 },
        capabilities: { before: { effective: FULL, permitted: FULL, inheritable: ZERO }, after: { effective: ZERO, permitted: ZERO, inheritable: ZERO } },
      },
    });
    // Groups did not change and the call is not setgroups: not repeated in the payload.
    expect(e?.kind === 'process.credentials' && e.credentials.before.groups).toBeUndefined();
  });

  it('setgroups shows the groups; capset shows the capabilities even when only inheritable changed; setgid without cap change has none', () => {
    const events = run([
      credsRecord(h, { operation: 'setgroups', before: { groups: [0, 4, 27] }, after: { groups: [] } }),
      credsRecord(h, { operation: 'capset', before: { capEffective: FULL, capPermitted: FULL }, after: { capEffective: FULL, capPermitted: FULL, capInheritable: '0000000000000400' } }),
      credsRecord(h, { operation: 'setgid', before: { capEffective: FULL }, after: { capEffective: FULL, gid: 100, egid: 100, sgid: 100, fsgid: 100 } }),
    ]);
    expect(events.map((e) => e.kind === 'process.credentials' && [e.credentials.operation, e.credentials.before.groups, e.credentials.after.groups])).toEqual([
      ['setgroups', [0, 4, 27], []],
      ['capset', undefined, undefined],
      ['setgid', undefined, undefined],
    ]);
    expect(events[1]?.kind === 'process.credentials' && events[1].credentials.capabilities?.after?.inheritable).toBe('0000000000000400');
    expect(events[2]?.kind === 'process.credentials' && events[2].credentials.capabilities).toBeUndefined();
  });

  it('a setuid that also changed the groups (another change seen at the same exit) shows them; a truncated list is marked in raw', () => {
    const [a, b] = run([
      credsRecord(h, { operation: 'setuid', before: { groups: [1] }, after: { uid: 5, groups: [2] } }),
      credsRecord({ ...h, flags: CREDS_FLAG.GROUPS_TRUNC }, { operation: 'setgroups', before: { groups: [1], ngroups: 20 }, after: { groups: [1], ngroups: 20 } }),
    ]);
    expect(a?.kind === 'process.credentials' && a.credentials.after.groups).toEqual([2]);
    expect(b).toMatchObject({ raw: { linux: { groupsTruncated: true } } });
  });

  it("glibc's per-thread repeats of one change are one event (counted); a change back, an exec or a new process is new", () => {
    const conv = new RecordConverter(new ProcessCache({ bootToEpochMs: toMs, readProc: false }), new Set(OBSERVABLE_KINDS), toMs);
    const down = (tid: number, pid = 70, startNs = 1e9) => credsRecord({ ...h, pid, tid, startNs }, { operation: 'setresgid', before: {}, after: { gid: 100, egid: 100, sgid: 100, fsgid: 100 } });
    const up = credsRecord({ ...h, tid: 70 }, { operation: 'setresgid', before: { gid: 100, egid: 100, sgid: 100, fsgid: 100 }, after: {} });
    const convert = (records: Uint8Array[]) => decodeBatch(batch(records)).records.flatMap((r) => conv.convert(r)).filter((e) => e.kind === 'process.credentials');
    expect(convert([down(70), down(71), down(72), down(73)]).map((e) => e.process.tid)).toEqual([70]);
    expect(conv.credentialRepeats).toBe(3);
    expect(convert([up, down(71)])).toHaveLength(2); // back to gid 0 and down again: two changes
    expect(convert([execRecord(h, { exe: { dentry: ['usr', 'bin', 'x'] } }), down(70)])).toHaveLength(1); // a new image
    expect(convert([down(80, 70, 2e9)])).toHaveLength(1); // the pid reused by another process
    expect(convert([down(90, 90)])).toHaveLength(1); // another process
    expect(conv.credentialRepeats).toBe(3);
  });

  it('the kind not asked for: no event (the record still feeds nothing else)', () => {
    expect(run([exec, credsRecord(h, { operation: 'setuid', before: root, after: nobody })], ['process.exec'])).toEqual([]);
  });
});
