// The part D record (credential change, type 11): decoded from the builder (ids, capability
// masks as /proc writes them, groups, the truncation flag), and random ops, group counts and
// bytes inside otherwise valid records never throw anything but a RecordDecodeError (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordDecodeError } from './errors.js';
import { CREDS_FLAG, LAYOUT } from './layout.js';
import { batch } from './record-builder.js';
import { credsRecord } from './record-builder-d.js';
import { decodeBatch } from './records.js';

describe('part D records', () => {
  it('decodes a credential change with both sets', () => {
    const rec = credsRecord(
      { pid: 9, tid: 10, comm: 'nginx', uid: 33, gid: 33 },
      {
        operation: 'setresuid',
        before: { uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 33, egid: 33, sgid: 33, fsgid: 33, capEffective: '000001ffffffffff', capPermitted: '000001ffffffffff', groups: [33] },
        after: { uid: 33, euid: 33, suid: 33, fsuid: 33, gid: 33, egid: 33, sgid: 33, fsgid: 33, groups: [33] },
      },
    );
    expect(rec.length).toBe(LAYOUT.edrkit_creds_rec);
    const { records, errors } = decodeBatch(batch([rec]));
    expect(errors).toEqual([]);
    expect(records[0]).toMatchObject({
      type: 'creds',
      operation: 'setresuid',
      ret: 0,
      groupsTruncated: false,
      h: { pid: 9, tid: 10, comm: 'nginx', uid: 33 },
      before: { uid: 0, euid: 0, gid: 33, capEffective: '000001ffffffffff', capPermitted: '000001ffffffffff', capInheritable: '0000000000000000', ngroups: 1, groups: [33] },
      after: { uid: 33, euid: 33, suid: 33, fsuid: 33, capEffective: '0000000000000000', groups: [33] },
    });
  });

  it('keeps at most 16 groups, says when there were more, and names every operation', () => {
    const many = Array.from({ length: 16 }, (_, i) => 100 + i);
    const { records } = decodeBatch(batch([credsRecord({ pid: 1, flags: CREDS_FLAG.GROUPS_TRUNC }, { operation: 'setgroups', before: { groups: [] }, after: { groups: many, ngroups: 40 } })]));
    expect(records[0]).toMatchObject({ operation: 'setgroups', groupsTruncated: true, after: { ngroups: 40, groups: many } });
    for (const operation of ['setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'setresgid', 'setfsuid', 'setfsgid', 'setgroups', 'capset'] as const) {
      expect(decodeBatch(batch([credsRecord({}, { operation, before: {}, after: {} })])).records[0]).toMatchObject({ operation });
    }
  });

  it('an unknown op or a wrong size is a RecordDecodeError naming it', () => {
    const bad = decodeBatch(batch([credsRecord({}, { operation: 'setuid', op: 42, before: {}, after: {} })]));
    expect(bad.records).toEqual([]);
    expect(bad.errors[0]?.message).toMatch(/creds record with op 42/);
    const short = credsRecord({}, { operation: 'setuid', before: {}, after: {} }).slice(0, LAYOUT.edrkit_creds_rec - 8);
    new DataView(short.buffer).setUint32(LAYOUT['edrkit_hdr.size'], short.length, true);
    expect(decodeBatch(batch([short])).errors[0]?.message).toMatch(/type 11 record is 328 bytes/);
  });

  it('fuzz: random ops, group counts and bytes decode or fail typed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(LAYOUT.edrkit_creds_rec - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 16 }),
        (op, ngroups, edits) => {
          const r = credsRecord({ pid: 1 }, { operation: 'setuid', op, before: { ngroups }, after: { groups: [1, 2, 3] } });
          for (const [i, x] of edits) if (i >= LAYOUT.edrkit_hdr) r[i] = x; // the header is checked by records.test.ts
          const { records, errors } = decodeBatch(batch([r]));
          for (const e of errors) expect(e).toBeInstanceOf(RecordDecodeError);
          expect(records.length + errors.length).toBe(1);
          for (const rec of records) if (rec.type === 'creds') expect(rec.before.groups.length).toBeLessThanOrEqual(16);
        },
      ),
      { numRuns: 500 },
    );
  });
});
