/**
 * Event model v1.1 end to end, on a hand-written recording with every kind v1.1 added
 * (test/fixtures/model-v1.1.jsonl): zod parse, the shipped JSON Schema, replay through a
 * sensor, OCSF (validated against the corpus schema), ECS, and a Sigma rule of each SigmaHQ
 * category that covers a new kind, firing on its recorded example (and not on others).
 * The v1.1 recording (written by v1.1) still replays under v1.2; the v1.2 recording
 * (test/fixtures/model-v1.2.jsonl) has the kind v1.2 added, process.credentials.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EVENT_KINDS, EVENT_MODEL_VERSION, ReplayBackend, V1_0_KINDS, V1_1_KINDS, openSensor, parseEvent, readRecording, type EdrEvent } from '@edrkit/core';
import { toECS, toOCSF } from '@edrkit/export';
import { RuleSet, loadRulesFromText } from '@edrkit/sigma';
import { HAVE_OCSF, OCSF_DIR } from '../export/corpus.js';
import { validateEcs } from '../export/ecs-fields.js';
import { sharedOcsfSchema } from '../export/ocsf-schema.js';
import { validateOcsf } from '../export/ocsf-validator.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const FIXTURE = fixture('model-v1.1.jsonl');
const lines = readFileSync(FIXTURE, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
const events = lines.map((l, i) => parseEvent(l, { line: i + 1, input: 'model-v1.1.jsonl' }));
const NEW_KINDS = V1_1_KINDS.filter((k) => !V1_0_KINDS.includes(k));
const V12 = readFileSync(fixture('model-v1.2.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);

async function replay(path: URL): Promise<EdrEvent[]> {
  // A recording's pids are another machine's: one may equal this test's own, which the sensor
  // would otherwise leave out as its own activity.
  const sensor = await openSensor({ backend: new ReplayBackend({ path: path.pathname }), filter: { includeSelf: true } });
  const got: EdrEvent[] = [];
  for await (const e of sensor) got.push(e);
  expect(sensor.error).toBeUndefined();
  return got;
}

const withoutSeq = ({ seq: _seq, ...rest }: Record<string, unknown>) => rest;

describe('event model v1.1 round trip', () => {
  it('the recording has every kind v1.1 added, plus a memfd file and a fileless exec', () => {
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set([...NEW_KINDS, 'file.create', 'process.exec']));
    expect(events.some((e) => e.kind === 'file.create' && e.file.memfd === true)).toBe(true);
    expect(events.some((e) => e.kind === 'process.exec' && e.process.fileless === true)).toBe(true);
  });

  it('every event validates against the shipped JSON Schema too', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../docs/schema/edrkit-event.schema.json', import.meta.url), 'utf8'));
    const fromJson = z.fromJSONSchema(shipped);
    for (const [i, line] of lines.entries()) expect(fromJson.safeParse(line).success, `line ${i + 1}`).toBe(true);
    // And the JSON Schema is strict like the zod one: an unknown field fails.
    expect(fromJson.safeParse({ ...lines[1], extra: 1 }).success).toBe(false);
  });

  it('replays unchanged through a sensor (no lifecycle events of its own added)', async () => {
    const got = await replay(FIXTURE);
    expect(got.map((e) => withoutSeq(e))).toEqual(lines.map(withoutSeq));
  });

  it('v1 recordings replay unchanged', async () => {
    const demo = new URL('../../examples/recordings/demo.jsonl', import.meta.url);
    const recorded: Record<string, unknown>[] = [];
    for await (const line of readRecording(demo.pathname)) if (line.ok) recorded.push(withoutSeq(line.event));
    const got = (await replay(demo)).filter((e) => e.kind !== 'sensor.lost');
    expect(got.map((e) => withoutSeq(e))).toEqual(recorded);
    expect(recorded.length).toBeGreaterThan(10);
  });

  it.skipIf(!HAVE_OCSF)('every event exports to OCSF that validates, and to conforming ECS', () => {
    const schema = sharedOcsfSchema(OCSF_DIR, ['windows']);
    for (const [i, e] of events.entries()) {
      expect(validateOcsf(schema, toOCSF(e, { hostname: 'h' })), `line ${i + 1} ${e.kind}`).toEqual([]);
      const doc = toECS(e);
      expect(validateEcs(doc), `line ${i + 1} ${e.kind}`).toEqual([]);
      expect(doc.event.category.length).toBeGreaterThan(0);
    }
  });

  it('replaying a newer recording with onInvalid: skip names the unknown kind and goes on', async () => {
    const sensor = await openSensor({ backend: new ReplayBackend({ path: fixture('model-v1.3-unknown.jsonl').pathname, onInvalid: 'skip' }) });
    const warnings: Error[] = [];
    sensor.on('warning', (w) => warnings.push(w));
    const got: EdrEvent[] = [];
    for await (const e of sensor) got.push(e);
    expect(got.map((e) => e.kind)).toEqual(['process.exec', 'sensor.lost', 'process.exit']);
    expect(warnings.map((w) => (w as { code?: string }).code)).toEqual(['ERR_UNKNOWN_KIND']);
    expect(got[1]?.kind === 'sensor.lost' && got[1].lost.reason).toMatch(/line 2: .*unknown kind "clipboard\.read" \(this is event model v1\.2/);
  });

  it('a kind from a newer model is reported per line, by name', async () => {
    const got = [];
    for await (const line of readRecording(fixture('model-v1.3-unknown.jsonl').pathname, { inputName: 'newer.jsonl' })) got.push(line);
    expect(got.map((l) => l.ok)).toEqual([true, false, true]);
    const bad = got[1];
    expect(bad?.ok === false && bad.error).toMatchObject({ code: 'ERR_UNKNOWN_KIND', line: 2 });
    expect(bad?.ok === false && bad.error.message).toBe(
      `newer.jsonl:line 2: invalid event: kind: unknown kind "clipboard.read" (this is event model v1.2; a newer edrkit may know it, see docs/events.md)`,
    );
  });
});

describe('event model v1.2 round trip', () => {
  const events12 = V12.map((l, i) => parseEvent(l, { line: i + 1, input: 'model-v1.2.jsonl' }));

  it('the v1.2 recording has every kind v1.2 added, from a v1.2 sensor', () => {
    expect(EVENT_MODEL_VERSION).toBe('1.2');
    const added = EVENT_KINDS.filter((k) => !V1_1_KINDS.includes(k));
    expect(added).toEqual(['process.credentials']);
    expect(new Set(events12.map((e) => e.kind))).toEqual(new Set([...added, 'sensor.start', 'sensor.stop']));
    expect(events12[0]?.kind === 'sensor.start' && events12[0].sensor.model).toBe('1.2');
    const ops = events12.flatMap((e) => (e.kind === 'process.credentials' ? [e.credentials.operation] : []));
    expect(ops).toEqual(['setgroups', 'setresgid', 'setresuid', 'setuid', 'capset', 'setfsuid']);
  });

  it('validates against the shipped JSON Schema and replays unchanged', async () => {
    const shipped = JSON.parse(readFileSync(new URL('../../docs/schema/edrkit-event.schema.json', import.meta.url), 'utf8'));
    expect(shipped.$id).toBe('https://edrkit.dev/schema/v1.2/edrkit-event.schema.json');
    const fromJson = z.fromJSONSchema(shipped);
    for (const [i, line] of V12.entries()) expect(fromJson.safeParse(line).success, `line ${i + 1}`).toBe(true);
    const bad = { ...V12[1], credentials: { ...(V12[1]!.credentials as object), operation: 'seteuid' } };
    expect(fromJson.safeParse(bad).success).toBe(false);
    const got = await replay(fixture('model-v1.2.jsonl'));
    expect(got.map((e) => withoutSeq(e))).toEqual(V12.map(withoutSeq));
  });

  it.skipIf(!HAVE_OCSF)('exports to OCSF Process Activity: Set User ID that validates, and to ECS process change', () => {
    const schema = sharedOcsfSchema(OCSF_DIR, ['windows']);
    for (const [i, e] of events12.entries()) {
      const ocsf = toOCSF(e, { hostname: 'h' });
      expect(validateOcsf(schema, ocsf), `line ${i + 1} ${e.kind}`).toEqual([]);
      expect(validateEcs(toECS(e)), `line ${i + 1} ${e.kind}`).toEqual([]);
      if (e.kind !== 'process.credentials') continue;
      expect([ocsf.class_uid, ocsf.activity_id, ocsf.activity_name]).toEqual([1007, 5, 'Set User ID']);
      expect(toECS(e).event).toMatchObject({ category: ['process'], type: ['change'], action: 'credentials_changed' });
    }
  });
});

/** One rule per SigmaHQ category that covers a new kind; `fires` names the recorded events (by line) it must match. */
const RULES: Array<{ category: string; product?: string; detection: string; fires: number[] }> = [
  // Modelled on SigmaHQ proc_access_win_lsass_memdump ("LSASS Memory Access"), GrantedAccess 0x1410.
  { category: 'process_access', product: 'windows', detection: "TargetImage|endswith: '\\lsass.exe'\n    GrantedAccess: '0x1410'", fires: [14] },
  // Cross-platform: a debugger attaching to sshd, written with Sysmon's field names.
  { category: 'process_access', detection: "TargetImage|endswith: '/sshd'\n    SourceImage|endswith: '/gdb'", fires: [15] },
  // Modelled on create_remote_thread_win_powershell_generic ("Remote Thread Creation Via PowerShell").
  { category: 'create_remote_thread', detection: "SourceImage|endswith: '\\powershell.exe'", fires: [16] },
  { category: 'process_tampering', detection: "TargetImage|endswith:\n      - '/sshd'\n      - '\\notepad.exe'", fires: [16, 17] },
  // Modelled on posh_ps_susp_download ("Suspicious PowerShell Download"): ScriptBlockText.
  { category: 'ps_script', product: 'windows', detection: "ScriptBlockText|contains|all:\n      - 'Net.WebClient'\n      - '.DownloadString('", fires: [18] },
  // Modelled on pipe_created_hktl_cobaltstrike ("CobaltStrike Named Pipe"): postex_ pipes.
  { category: 'pipe_created', detection: "PipeName|startswith: '\\postex_'", fires: [23] },
  { category: 'pipe_created', detection: "EventType: ConnectPipe\n    PipeName: '\\lsarpc'", fires: [24] },
  // Modelled on sysmon_wmi_susp_scripting ("Suspicious Scripting in a WMI Consumer").
  { category: 'wmi_event', detection: "EventType: WmiConsumerEvent\n    Destination|contains: 'powershell'", fires: [26] },
  { category: 'wmi_event', detection: "EventType: WmiFilterEvent\n    Query|contains: 'Win32_PerfFormattedData_PerfOS_System'", fires: [25] },
  { category: 'wmi_event', detection: "EventType: WmiBindingEvent\n    Operation: Created", fires: [27] },
  // A fileless exec, on the v1 category: Sysmon-style Image of a memfd.
  { category: 'process_creation', product: 'linux', detection: "Image|startswith: '/memfd:'", fires: [29] },
];

describe('Sigma categories of the v1.1 kinds fire on the recorded examples', () => {
  it.each(RULES.map((r, i) => [`${r.category} #${i + 1}`, r]))('%s', (_name, r) => {
    const text = `title: t\nid: 00000000-0000-4000-8000-00000000000${RULES.indexOf(r) % 10}\nstatus: test\nlogsource:\n  category: ${r.category}\n${r.product ? `  product: ${r.product}\n` : ''}detection:\n  selection:\n    ${r.detection}\n  condition: selection\nlevel: high\n`;
    const loaded = loadRulesFromText(text);
    expect(loaded[0]?.status, loaded[0]?.reason).toBe('ok');
    const set = new RuleSet(loaded);
    const fired = events.flatMap((e, i) => (set.match(e).length ? [i + 1] : []));
    expect(fired).toEqual(r.fires);
  });

  it('create_remote_thread covers only the remote-thread technique; ps_script only PowerShell', () => {
    const any = (category: string, detection: string) =>
      new RuleSet(loadRulesFromText(`title: t\nlogsource:\n  category: ${category}\ndetection:\n  s:\n    ${detection}\n  condition: s\n`));
    expect(events.flatMap((e, i) => (any('create_remote_thread', "TargetImage|contains: '/'").match(e).length ? [i + 1] : []))).toEqual([]);
    expect(events.flatMap((e, i) => (any('ps_script', "ScriptBlockText|contains: 'display dialog'").match(e).length ? [i + 1] : []))).toEqual([]);
  });

  it('pipe_created and wmi_event do not apply to other products', () => {
    const [r] = loadRulesFromText(`title: t\nlogsource:\n  category: wmi_event\n  product: linux\ndetection:\n  s:\n    Name: x\n  condition: s\n`);
    expect(r?.status).toBe('not-applicable');
    expect(r?.reason).toMatch(/exists only on windows/);
  });
});
