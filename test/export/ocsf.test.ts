/**
 * OCSF export checked against the real OCSF schema (../shared/corpus/ocsf): every kind, a
 * fuzzed stream of arbitrary valid events, and deliberately broken records that the
 * validator must reject (so a wrong mapping cannot pass).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '@edrkit/core';
import { OCSF_CLASSES, toOCSF, type OcsfEvent } from '@edrkit/export';
import { anyEvent } from './arbitraries.js';
import { corpusLabel } from '../corpus.js';
import { HAVE_OCSF, NO_OCSF_REASON, OCSF_DIR } from './corpus.js';
import { sharedOcsfSchema, type OcsfSchema } from './ocsf-schema.js';
import { validateOcsf } from './ocsf-validator.js';
import { SAMPLES, sampleOf } from './samples.js';

if (!HAVE_OCSF) console.warn(`skipping OCSF schema tests: ${NO_OCSF_REASON}`);

const schema = (): OcsfSchema => sharedOcsfSchema(OCSF_DIR, ['windows']);

/** The documented class of each kind (docs/events.md). */
const EXPECTED: Record<(typeof EVENT_KINDS)[number], [classUid: number, activityId: number]> = {
  'process.exec': [1007, 1],
  'process.fork': [1007, 1],
  'process.exit': [1007, 2],
  'file.create': [1001, 1],
  'file.open': [1001, 14],
  'file.modify': [1001, 3],
  'file.delete': [1001, 4],
  'file.rename': [1001, 5],
  'file.attr': [1001, 6],
  'net.connect': [4001, 1],
  'net.accept': [4001, 1],
  'net.listen': [4001, 7],
  'dns.query': [4003, 1],
  'image.load': [1005, 1],
  'kmod.load': [1002, 1],
  'registry.set': [201002, 2],
  'registry.create': [201001, 1],
  'registry.delete': [201002, 4],
  'registry.rename': [201001, 5],
  'sensor.lost': [1008, 99],
  'auth.logon': [3002, 1],
  'auth.logoff': [3002, 2],
  'auth.failed': [3002, 1],
  'account.create': [3001, 1],
  'account.modify': [3001, 99],
  'account.delete': [3001, 6],
  'service.create': [201004, 1],
  'service.modify': [201004, 2],
  'service.delete': [201004, 7],
  'task.create': [1006, 1],
  'task.modify': [1006, 2],
  'task.delete': [1006, 3],
  'process.access': [1007, 3],
  'process.tamper': [1007, 4],
  'script.content': [1009, 1],
  'bpf.load': [1002, 1],
  'volume.mount': [1001, 12],
  'volume.unmount': [1001, 13],
  'pipe.create': [1001, 1],
  'pipe.connect': [1001, 14],
  'wmi.filter': [1006, 1],
  'wmi.consumer': [1006, 1],
  'wmi.binding': [1006, 1],
  'sensor.start': [6002, 3],
  'sensor.stop': [6002, 4],
  'process.credentials': [1007, 5],
};

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe.skipIf(!HAVE_OCSF)(corpusLabel('OCSF export validates against the OCSF schema', 'ocsf'), () => {
  it('loads the schema classes the mapping uses', () => {
    const s = schema();
    for (const cls of Object.values(OCSF_CLASSES)) {
      const resolved = s.classes.get(cls.uid);
      expect(resolved?.caption, `class ${cls.uid}`).toBe(cls.caption);
      expect(resolved?.categoryUid).toBe(cls.categoryUid);
      for (const [id, caption] of Object.entries(cls.activities)) {
        expect(resolved?.attributes.get('activity_id')?.enum?.get(id)?.caption, `${cls.caption} activity ${id}`).toBe(caption);
      }
    }
  });

  it('has a sample of every kind', () => {
    expect(SAMPLES.map((e) => e.kind)).toEqual([...EVENT_KINDS]);
  });

  it.each(EVENT_KINDS.map((k) => [k]))('%s maps to its documented class and validates', (kind) => {
    const record = toOCSF(sampleOf(kind), { hostname: 'host-1' });
    const [classUid, activityId] = EXPECTED[kind];
    expect(record.class_uid).toBe(classUid);
    expect(record.activity_id).toBe(activityId);
    expect(record.type_uid).toBe(classUid * 100 + activityId);
    expect(Number.isInteger(record.time)).toBe(true);
    expect(record.metadata.product.name).toBe('edrkit');
    expect(validateOcsf(schema(), record)).toEqual([]);
    // What the CLI writes is JSON: the record must survive a round trip unchanged.
    expect(clone(record)).toEqual(record);
  });

  it('process.credentials: Set User ID, actor.user before and process.user after the call, the sets in unmapped', () => {
    const e = sampleOf('process.credentials');
    const record = toOCSF(e, { hostname: 'h' });
    expect(record.class_uid === 1007 && [record.activity_name, record.type_uid, record.type_name]).toEqual(['Set User ID', 100705, 'Process Activity: Set User ID']);
    if (record.class_uid !== 1007) throw new Error('not Process Activity');
    expect(record.actor.user).toEqual({ uid: '0' });
    expect(record.process.user).toEqual({ uid: '33', name: 'www-data' });
    expect(record.actor.process?.pid).toBe(record.process.pid);
    expect(record.unmapped).toMatchObject({
      'credentials.operation': 'setresuid',
      'credentials.before': { uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 33 },
      'credentials.after': { uid: 33, euid: 33 },
      'credentials.capabilities': { after: { effective: '0000000000000000' } },
    });
    expect(validateOcsf(schema(), record)).toEqual([]);
  });

  it('validates every kind exported for a replayed event without a host name', () => {
    for (const e of SAMPLES) {
      const record = toOCSF({ ...e, source: 'replay' } as typeof e);
      expect(record.device.hostname).toBeUndefined();
      expect(validateOcsf(schema(), record), e.kind).toEqual([]);
    }
  });

  it('fuzz: any valid event exports without throwing and validates', () => {
    fc.assert(
      fc.property(anyEvent, fc.boolean(), (event, withHost) => {
        const record = toOCSF(event, withHost ? { hostname: 'h' } : {});
        const issues = validateOcsf(schema(), record);
        expect(issues, JSON.stringify({ event, issues })).toEqual([]);
        // Consumers see the JSON text; it must validate too (-0 in raw data is the one lossy value, harmlessly).
        expect(validateOcsf(schema(), clone(record))).toEqual([]);
      }),
      { numRuns: Number(process.env.EDRKIT_FUZZ_RUNS ?? 1500) },
    );
  });
});

/** Mutations of a valid record, each a realistic mapping mistake the validator must catch. */
const BROKEN: Array<[string, (r: Record<string, any>) => void, RegExp]> = [
  ['wrong activity for the class', (r) => { r.activity_id = 42; r.type_uid = r.class_uid * 100 + 42; }, /activity_id/],
  ['type_uid not class_uid*100+activity_id', (r) => { r.type_uid = 100702; }, /type_uid/],
  ['category does not match class', (r) => { r.category_uid = 4; }, /category_uid/],
  ['unknown class', (r) => { r.class_uid = 1099; }, /class_uid/],
  ['severity out of enum', (r) => { r.severity_id = 7; }, /severity_id/],
  ['severity caption mismatch', (r) => { r.severity = 'High'; }, /severity/],
  ['activity caption mismatch', (r) => { r.activity_name = 'Terminate'; }, /activity_name/],
  ['type_name mismatch', (r) => { r.type_name = 'Process Activity: Terminate'; }, /type_name/],
  ['fractional time', (r) => { r.time = 1714564802000.25; }, /time/],
  ['time as a string', (r) => { r.time = '2024-05-01T12:00:00Z'; }, /time/],
  ['missing metadata', (r) => { delete r.metadata; }, /metadata/],
  ['missing nested required metadata.product', (r) => { delete r.metadata.product; }, /metadata\.product/],
  ['missing OCSF version', (r) => { delete r.metadata.version; }, /metadata\.version/],
  ['missing required process', (r) => { delete r.process; }, /process/],
  ['missing required actor', (r) => { delete r.actor; }, /actor/],
  ['pid as a string', (r) => { r.process.pid = '4242'; }, /process\.pid/],
  ['unknown attribute', (r) => { r.process.argv = ['curl']; }, /process\.argv/],
  ['edrkit name instead of OCSF name', (r) => { r.process.cmdline = r.process.cmd_line; }, /process\.cmdline/],
  ['deprecated attribute', (r) => { r.process.tid = 1; }, /process\.tid.*deprecated/],
  ['file without required name', (r) => { delete r.process.file.name; }, /process\.file\.name/],
  ['file type_id out of enum', (r) => { r.process.file.type_id = 12; }, /process\.file\.type_id/],
  ['os without type_id', (r) => { delete r.device.os.type_id; }, /device\.os\.type_id/],
  ['device without type_id', (r) => { delete r.device.type_id; }, /device\.type_id/],
  ['user uid as number', (r) => { r.process.user.uid = 1000; }, /process\.user\.uid/],
  ['launch type out of enum', (r) => { r.launch_type_id = 9; }, /launch_type_id/],
  ['null value', (r) => { r.process.cmd_line = null; }, /process\.cmd_line/],
  ['process without pid/uid/cpid', (r) => { delete r.process.pid; }, /process.*at least one/],
  ['unmapped not an object', (r) => { r.unmapped = 'x'; }, /unmapped/],
];

describe.skipIf(!HAVE_OCSF)(corpusLabel('the OCSF validator rejects broken exports', 'ocsf'), () => {
  it.each(BROKEN)('%s', (_name, mutate, where) => {
    const record = clone(toOCSF(sampleOf('process.exec'), { hostname: 'h' })) as unknown as Record<string, any>;
    expect(validateOcsf(schema(), record)).toEqual([]);
    mutate(record);
    const issues = validateOcsf(schema(), record);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => `${i.path}: ${i.message}`).join('\n')).toMatch(where);
  });

  it('rejects an invalid IP, a port out of range and a missing endpoint', () => {
    const base = clone(toOCSF(sampleOf('net.connect'), { hostname: 'h' })) as unknown as Record<string, any>;
    const badIp = clone(base);
    badIp.dst_endpoint.ip = 'not-an-ip';
    expect(validateOcsf(schema(), badIp).map((i) => i.path)).toContain('dst_endpoint.ip');
    const badPort = clone(base);
    badPort.src_endpoint.port = 70000;
    expect(validateOcsf(schema(), badPort).map((i) => i.path)).toContain('src_endpoint.port');
    const none = clone(base);
    delete none.src_endpoint;
    delete none.dst_endpoint;
    expect(validateOcsf(schema(), none).some((i) => /at least one of dst_endpoint, src_endpoint/.test(i.message))).toBe(true);
  });

  it('rejects a registry value without its required name, and a DNS query without hostname', () => {
    const reg = clone(toOCSF(sampleOf('registry.set'), { hostname: 'h' })) as unknown as Record<string, any>;
    delete reg.reg_value.name;
    expect(validateOcsf(schema(), reg).map((i) => i.path)).toContain('reg_value.name');
    const dns = clone(toOCSF(sampleOf('dns.query'), { hostname: 'h' })) as unknown as Record<string, any>;
    delete dns.query.hostname;
    expect(validateOcsf(schema(), dns).map((i) => i.path)).toContain('query.hostname');
  });

  it('rejects a record put in the wrong class', () => {
    const record = clone(toOCSF(sampleOf('file.create'), { hostname: 'h' })) as OcsfEvent & Record<string, any>;
    record.class_uid = 1007 as never;
    record.type_uid = 100701;
    record.class_name = 'Process Activity';
    const paths = validateOcsf(schema(), record).map((i) => i.path);
    expect(paths).toContain('file'); // not an attribute of Process Activity
    expect(paths).toContain('process'); // required by Process Activity
  });
});
