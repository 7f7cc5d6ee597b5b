import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../errors.js';
import { eventJsonSchema } from './json-schema.js';
import { parseEvent, safeParseEvent } from './parse.js';
import { EVENT_KINDS, EVENT_MODEL_VERSION, MAX_SCRIPT_CONTENT, OBSERVABLE_KINDS, V1_0_KINDS, V1_1_KINDS } from './schema.js';

const proc = { pid: 42, ppid: 1, exe: '/bin/sh', args: ['sh'], cmdline: 'sh' };
const base = { time: 1.5, seq: 1, platform: 'linux', source: 'linux-ebpf', process: proc } as const;

describe('event model', () => {
  it('accepts a valid event of every kind family and types it', () => {
    const e = parseEvent({ ...base, kind: 'file.rename', file: { path: '/a' }, target: { path: '/b' } });
    expect(e.kind === 'file.rename' && e.target.path).toBe('/b');
    expect(parseEvent({ kind: 'sensor.lost', time: 1, seq: 2, platform: 'macos', source: 'macos-es', lost: { count: 3, reason: 'x' } }).kind).toBe('sensor.lost');
  });

  it('names the field path and the problem', () => {
    const err = (() => {
      try {
        parseEvent({ ...base, kind: 'net.connect', net: { protocol: 'tcp', family: 'ipv4', local: { ip: '1.2.3.4', port: 70000 }, remote: { ip: 'x' } } });
      } catch (e) {
        return e as InvalidEventError;
      }
    })();
    expect(err).toBeInstanceOf(InvalidEventError);
    expect(err?.code).toBe('ERR_INVALID_EVENT');
    expect(err?.issues.map((i) => i.path)).toEqual(['net.local.port', 'net.remote.port']);
    expect(err?.issues[1]?.message).toBe('missing (expected number)');
    expect(safeParseEvent({ ...base, kind: 'process.exec', process: { ...proc, args: ['a', 1] } })).toMatchObject({ ok: false, error: { issues: [{ path: 'process.args[1]' }] } });
  });

  it('rejects unknown fields and kinds', () => {
    expect(() => parseEvent({ ...base, kind: 'process.exec', extra: 1 })).toThrow(/unknown field\(s\) 'extra'/);
    expect(() => parseEvent({ ...base, kind: 'process.spawn' })).toThrow(/kind: unknown kind/);
    expect(() => parseEvent(null)).toThrow(InvalidEventError);
  });

  it('model v1.2: v1.0 kinds first, then v1.1, sensor kinds not observable, a kind from a newer model named', () => {
    expect(EVENT_MODEL_VERSION).toBe('1.2');
    expect(V1_0_KINDS).toHaveLength(20);
    expect(V1_0_KINDS.at(-1)).toBe('sensor.lost');
    expect(V1_1_KINDS).toHaveLength(45);
    expect(V1_1_KINDS.slice(0, 20)).toEqual(V1_0_KINDS);
    expect(EVENT_KINDS.filter((k) => !V1_1_KINDS.includes(k))).toEqual(['process.credentials']);
    expect(OBSERVABLE_KINDS).toContain('process.credentials');
    expect(OBSERVABLE_KINDS).not.toContain('sensor.start');
    expect(OBSERVABLE_KINDS).toContain('process.access');
    const r = safeParseEvent({ ...base, kind: 'clipboard.read', clipboard: {} }, { line: 3, input: 'x.jsonl' });
    expect(r.ok === false && r.error).toMatchObject({ code: 'ERR_UNKNOWN_KIND', line: 3 });
    expect(r.ok === false && r.error.message).toMatch(/^x\.jsonl:line 3: invalid event: kind: unknown kind "clipboard\.read" \(this is event model v1\.2;/);
    // A known kind with a bad field is still ERR_INVALID_EVENT, naming the field.
    expect(safeParseEvent({ ...base, kind: 'pipe.create', pipe: {} })).toMatchObject({ ok: false, error: { code: 'ERR_INVALID_EVENT', issues: [{ path: 'pipe.name' }] } });
  });

  it('v1.1 payloads are bounded and typed: script content, hashes, entropy, header', () => {
    const script = (content: string) => ({ ...base, kind: 'script.content', script: { interpreter: 'bash', content, truncated: false } });
    expect(safeParseEvent(script('x'.repeat(MAX_SCRIPT_CONTENT))).ok).toBe(true);
    expect(() => parseEvent(script('x'.repeat(MAX_SCRIPT_CONTENT + 1)))).toThrow(/script\.content: Too big/);
    const file = (f: Record<string, unknown>) => ({ ...base, kind: 'file.create', file: { path: '/x', ...f } });
    expect(safeParseEvent(file({ memfd: true, size: 3, header: '7f454c46', entropy: 7.99, hashes: { sha256: 'a'.repeat(64), partial: true } })).ok).toBe(true);
    expect(() => parseEvent(file({ hashes: { md5: 'XYZ' } }))).toThrow(/file\.hashes\.md5/);
    expect(() => parseEvent(file({ entropy: 8.5 }))).toThrow(/file\.entropy/);
    expect(() => parseEvent(file({ header: 'abc' }))).toThrow(/file\.header/);
    expect(() => parseEvent({ ...base, kind: 'process.exec', process: { ...proc, hashes: { pending: false } } })).toThrow(/process\.hashes\.pending/);
  });

  it('v1.2 process.credentials: ids are non-negative integers, capability masks 16 hex digits, operations named', () => {
    const ids = { uid: 1000, euid: 1000, suid: 1000, fsuid: 1000, gid: 1000, egid: 1000, sgid: 1000, fsgid: 1000 };
    const creds = (c: Record<string, unknown>) => ({ ...base, kind: 'process.credentials', credentials: { operation: 'setresuid', before: { ...ids, euid: 0 }, after: ids, ...c } });
    const e = parseEvent(creds({ capabilities: { before: { effective: '000001ffffffffff', permitted: '000001ffffffffff', inheritable: '0000000000000000' }, after: { effective: '0000000000000000', permitted: '0000000000000000', inheritable: '0000000000000000' } } }));
    expect(e.kind === 'process.credentials' && e.credentials.before.euid).toBe(0);
    expect(safeParseEvent(creds({ operation: 'setgroups', before: { ...ids, groups: [] }, after: { ...ids, groups: [27, 100] } })).ok).toBe(true);
    expect(() => parseEvent(creds({ operation: 'seteuid' }))).toThrow(/credentials\.operation/);
    expect(() => parseEvent(creds({ after: { ...ids, uid: -1 } }))).toThrow(/credentials\.after\.uid/);
    expect(() => parseEvent(creds({ after: { ...ids, extra: 1 } }))).toThrow(/unknown field\(s\) 'extra'/);
    expect(() => parseEvent(creds({ capabilities: { after: { effective: '1ff', permitted: '0', inheritable: '0' } } }))).toThrow(/credentials\.capabilities\.after\.effective/);
  });

  it('the shipped JSON Schema is the one generated from the zod schemas', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../../../docs/schema/edrkit-event.schema.json', import.meta.url), 'utf8'));
    expect(shipped, 'run `npm run gen:schema` after changing the model').toEqual(eventJsonSchema());
    expect((shipped.oneOf as unknown[]).length).toBe(EVENT_KINDS.length);
  });

  it('fuzz: parseEvent never throws anything but InvalidEventError', () => {
    fc.assert(
      fc.property(fc.anything(), fc.constantFrom(...EVENT_KINDS), (value, kind) => {
        for (const v of [value, typeof value === 'object' && value ? { ...value, kind } : value]) {
          try {
            parseEvent(v);
          } catch (e) {
            expect(e).toBeInstanceOf(InvalidEventError);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});
