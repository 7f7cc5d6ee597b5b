/**
 * ECS export: `@timestamp`, `event.*` categorisation with arrays, and every field an ECS
 * name with an ECS type, for every kind and for fuzzed events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from '@edrkit/core';
import { toECS } from '@edrkit/export';
import { anyEvent } from './arbitraries.js';
import { validateEcs } from './ecs-fields.js';
import { SAMPLES, sampleOf } from './samples.js';

describe('ECS export', () => {
  it.each(EVENT_KINDS.map((k) => [k]))('%s has ECS names and types', (kind) => {
    const doc = toECS(sampleOf(kind), { hostname: 'host-1' });
    expect(validateEcs(doc)).toEqual([]);
    expect(doc['@timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
    expect(Array.isArray(doc.event.category)).toBe(true);
    expect(doc.host.hostname).toBe('host-1');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('writes the acting process with its parent, user and ids as ECS types', () => {
    const doc = toECS(sampleOf('process.exec'), { hostname: 'h' });
    expect(doc.process).toMatchObject({
      pid: 4242,
      executable: '/usr/bin/curl',
      name: 'curl',
      args: ['curl', '-s', 'https://example.org/install.sh'],
      args_count: 3,
      command_line: 'curl -s https://example.org/install.sh',
      working_directory: '/home/alice',
      start: '2024-05-01T12:00:00.123456Z',
      parent: { pid: 4100, executable: '/usr/bin/bash', name: 'bash', command_line: '-bash' },
    });
    expect(doc.user).toEqual({ id: '1000', name: 'alice' });
    expect(doc.group).toEqual({ id: '1000' });
    expect(doc.container).toEqual({ id: '3f4e5d6c7b8a' });
    expect(doc.event).toMatchObject({ kind: 'event', category: ['process'], type: ['start'], action: 'exec', sequence: 0 });
    expect(doc.edrkit).toMatchObject({ raw: { linux: { cgroupId: 7788 } } });
  });

  it('maps network, DNS, file and registry payloads to their ECS field sets', () => {
    const conn = toECS(sampleOf('net.connect'));
    expect(conn.source).toEqual({ address: '10.0.0.5', ip: '10.0.0.5', port: 51512 });
    expect(conn.destination).toEqual({ address: '93.184.216.34', ip: '93.184.216.34', port: 443 });
    expect(conn.network).toEqual({ transport: 'tcp', type: 'ipv4', iana_number: '6', direction: 'egress' });
    const accept = toECS(sampleOf('net.accept'));
    expect(accept.source?.ip).toBe('fe80::1');
    expect(accept.destination?.port).toBe(22);
    expect(accept.network?.direction).toBe('ingress');

    const dns = toECS(sampleOf('dns.query'));
    expect(dns.dns).toEqual({
      type: 'question',
      question: { name: 'evil.example.com', type: 'A' },
      answers: [{ data: '203.0.113.7' }, { data: 'cdn.example.net' }],
      resolved_ip: ['203.0.113.7'],
    });

    const rename = toECS(sampleOf('file.rename'));
    expect(rename.file).toMatchObject({ path: '/usr/local/bin/x', name: 'x', directory: '/usr/local/bin' });
    expect(rename.edrkit).toMatchObject({ file: { path: '/tmp/x.part' } });

    const attr = toECS(sampleOf('file.attr'));
    expect(attr.file).toMatchObject({ mode: '4755', uid: '0', gid: '0' });

    const reg = toECS(sampleOf('registry.set'));
    expect(reg.registry).toEqual({
      hive: 'HKCU',
      key: 'Software\\Microsoft\\Windows\\CurrentVersion\\Run',
      path: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\upd',
      value: 'upd',
      data: { strings: ['C:\\Users\\bob\\upd.exe'], type: 'REG_SZ' },
    });
    expect(reg.process?.code_signature).toEqual({ exists: true, subject_name: 'Microsoft Windows' });
  });

  it('maps process.credentials to a process change with the Linux ids after it, the rest under edrkit.credentials', () => {
    const e = sampleOf('process.credentials');
    const doc = toECS(e);
    expect(doc.event).toMatchObject({ category: ['process'], type: ['change'], action: 'credentials_changed' });
    expect(doc.process).toMatchObject({ real_user: { id: '33' }, saved_user: { id: '33' }, real_group: { id: '33' }, saved_group: { id: '33' } });
    expect(doc.edrkit).toMatchObject({ credentials: { operation: 'setresuid', before: { uid: 0, euid: 0 }, capabilities: { before: { effective: '000001ffffffffff' } } } });
    const groups = toECS({ ...e, credentials: { ...e.credentials, operation: 'setgroups', after: { ...e.credentials.after, groups: [33, 4] } } });
    expect(groups.process?.supplemental_groups).toEqual([{ id: '33' }, { id: '4' }]);
    expect(validateEcs(groups)).toEqual([]);
  });

  it('reports sensor.lost as a pipeline error', () => {
    const doc = toECS(sampleOf('sensor.lost'));
    expect(doc.event).toMatchObject({ kind: 'pipeline_error', category: ['host'], type: ['info'], action: 'events_dropped' });
    expect(doc.error?.message).toBe('ring buffer full');
    expect(doc.edrkit).toMatchObject({ lost: { count: 17, reason: 'ring buffer full', stage: 'kernel' } });
    expect(doc.process).toBeUndefined();
  });

  it('the ECS checker rejects non-ECS names and wrong types', () => {
    const doc = JSON.parse(JSON.stringify(toECS(SAMPLES[0]!))) as Record<string, any>;
    expect(validateEcs(doc)).toEqual([]);
    const cases: Array<[(d: Record<string, any>) => void, RegExp]> = [
      [(d) => { d.event.category = 'process'; }, /event\.category: must be a non-empty array/],
      [(d) => { d.process.ppid = 1; }, /process\.ppid: not an ECS field/],
      [(d) => { d.user.id = 1000; }, /user\.id: expected a string/],
      [(d) => { d.process.pid = '4242'; }, /process\.pid: expected an integer/],
      [(d) => { d['@timestamp'] = 1714564802000; }, /@timestamp: expected an RFC 3339/],
      [(d) => { d.event.type = ['deletion']; }, /not an expected type of category 'process'/],
      [(d) => { d.event.kind = 'process'; }, /event\.kind/],
      [(d) => { d['process.pid'] = 1; }, /dotted key/],
      [(d) => { d.source = { ip: 'nope', port: 1, address: 'nope' }; }, /source\.ip: expected an IP/],
    ];
    for (const [mutate, where] of cases) {
      const broken = JSON.parse(JSON.stringify(doc)) as Record<string, any>;
      mutate(broken);
      expect(validateEcs(broken).join('\n')).toMatch(where);
    }
  });

  it('fuzz: any valid event exports without throwing and conforms', () => {
    fc.assert(
      fc.property(anyEvent, (event) => {
        const doc = toECS(event);
        const problems = validateEcs(doc);
        expect(problems, JSON.stringify({ event, problems })).toEqual([]);
      }),
      { numRuns: Number(process.env.EDRKIT_FUZZ_RUNS ?? 1500) },
    );
  });
});
