import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EdrEvent, EventOfKind } from '../events/schema.js';
import { openSensor } from '../sensor/open-sensor.js';
import { parseRecordingLine } from './read-recording.js';
import { RecordingWriter } from './recording-writer.js';
import { ReplayBackend } from './replay-backend.js';

const exec = (seq: number, pid: number): EventOfKind<'process.exec'> => ({
  kind: 'process.exec',
  time: 1_700_000_000_000 + seq + 0.125,
  seq,
  platform: 'linux',
  source: 'linux-ebpf',
  process: { pid, ppid: 1, uid: 0, exe: '/usr/bin/id', args: ['id', '-u'], cmdline: 'id -u', parent: { pid: 1, exe: '/sbin/init' } },
});

async function tmpFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edrkit-replay-'));
  const p = join(dir, name);
  await writeFile(p, text);
  return p;
}

async function collect(backend: ReplayBackend): Promise<{ events: EdrEvent[]; error?: unknown; warnings: Error[] }> {
  const sensor = await openSensor({ backend });
  const warnings: Error[] = [];
  sensor.on('warning', (w) => warnings.push(w));
  const events: EdrEvent[] = [];
  try {
    for await (const e of sensor) events.push(e);
  } catch (error) {
    return { events, error, warnings };
  }
  return { events, warnings };
}

describe('ReplayBackend', () => {
  it('re-emits a recording unchanged (kinds, fields, values)', async () => {
    const recorded = [exec(1, 10), exec(2, 11), {
      kind: 'net.connect', time: 1_700_000_000_100, seq: 3, platform: 'linux', source: 'linux-ebpf',
      process: { pid: 11, ppid: 10, exe: '/usr/bin/curl', args: ['curl', 'x'], cmdline: 'curl x' },
      net: { protocol: 'tcp', family: 'ipv4', local: { ip: '127.0.0.1', port: 50000 }, remote: { ip: '127.0.0.1', port: 80 } },
    } as EdrEvent];
    const path = await tmpFile('rec.jsonl', recorded.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const { events, error } = await collect(new ReplayBackend({ path }));
    expect(error).toBeUndefined();
    expect(events).toEqual(recorded);
  });

  it('a malformed line fails with its line number and field', async () => {
    const bad = { ...exec(2, 11), process: { ...exec(2, 11).process, pid: 'eleven' } };
    const { pid: _, ...noPid } = exec(3, 12).process;
    const path = await tmpFile('bad.jsonl', [JSON.stringify(exec(1, 10)), JSON.stringify(bad), JSON.stringify({ ...exec(3, 12), process: noPid })].join('\n'));
    const r = await collect(new ReplayBackend({ path }));
    expect(r.events).toHaveLength(1);
    expect(r.error).toMatchObject({ code: 'ERR_INVALID_EVENT', line: 2 });
    expect((r.error as Error).message).toBe(`${path}:line 2: invalid event: process.pid: expected number, received string`);

    const skipped = await collect(new ReplayBackend({ path, onInvalid: 'skip' }));
    expect(skipped.error).toBeUndefined();
    expect(skipped.events.map((e) => e.kind)).toEqual(['process.exec', 'sensor.lost', 'sensor.lost']);
    expect(skipped.warnings.map((w) => w.message)).toEqual([
      `${path}:line 2: invalid event: process.pid: expected number, received string`,
      `${path}:line 3: invalid event: process.pid: missing (expected number)`,
    ]);
  });

  it('names unknown fields, unknown kinds and non-JSON lines', () => {
    expect(parseRecordingLine('{"kind":"process.exec"', 7, 'x.jsonl')).toMatchObject({ ok: false, error: { line: 7, message: /^x.jsonl:line 7: invalid event: not JSON/ } });
    const extra = parseRecordingLine(JSON.stringify({ ...exec(1, 1), colour: 'red' }), 1, 'x');
    expect(!extra.ok && extra.error.message).toMatch(/unknown field\(s\) 'colour'/);
    const kind = parseRecordingLine(JSON.stringify({ ...exec(1, 1), kind: 'proc.exec' }), 1, 'x');
    expect(!kind.ok && kind.error.issues[0]?.path).toBe('kind');
  });

  it('reads from a stream and paces when asked', async () => {
    const lines = [exec(1, 10), { ...exec(2, 11), time: exec(1, 10).time + 120 }].map((e) => JSON.stringify(e)).join('\n');
    const started = performance.now();
    const { events } = await collect(new ReplayBackend({ input: Readable.from([lines]), pace: true }));
    expect(events).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('round-trips through RecordingWriter', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edrkit-rec-'));
    const path = join(dir, 'out.jsonl');
    const w = new RecordingWriter(path);
    for (const e of [exec(1, 5), exec(2, 6)]) await w.write(e);
    await w.close();
    expect((await collect(new ReplayBackend({ path }))).events).toEqual([exec(1, 5), exec(2, 6)]);
  });

  it('a slow consumer slows the replay down: batches up to half of maxQueue never overflow it', async () => {
    const text = Array.from({ length: 200 }, (_, i) => JSON.stringify(exec(i + 1, 100 + i))).join('\n');
    const backend = new ReplayBackend({ input: Readable.from([text]), batchSize: 4 });
    const sensor = await openSensor({ backend, maxQueue: 8, overflow: 'drop-newest' });
    const got: EdrEvent[] = [];
    for await (const e of sensor) {
      got.push(e);
      await new Promise((r) => setImmediate(r));
    }
    expect(got.filter((e) => e.kind === 'process.exec')).toHaveLength(200);
    expect(got.filter((e) => e.kind === 'sensor.lost')).toEqual([]);
    expect(sensor.stats().dropped.queue).toBe(0);
  });

  it('a missing file is a clear ERR_INVALID_ARGUMENT', async () => {
    await expect(openSensor({ backend: new ReplayBackend({ path: '/nonexistent/rec.jsonl' }) })).rejects.toMatchObject({
      message: /cannot read recording '\/nonexistent\/rec.jsonl' \(ENOENT\)/,
      code: 'ERR_INVALID_ARGUMENT',
    });
  });

  it('fuzz: any line text gives an event or a located error, never a throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        const r = parseRecordingLine(text, 3, 'fuzz');
        if (!r.ok) expect(r.error.line).toBe(3);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('hostile recordings', () => {
  const good = (seq: number) => JSON.stringify(exec(seq, 100 + seq));
  // Spliced as text: JSON.stringify of such a value would itself overflow the stack.
  const deep = (n: number) => JSON.stringify({ ...exec(99, 99), raw: { linux: { deep: 0 } } }).replace('"deep":0', `"deep":${'['.repeat(n)}${']'.repeat(n)}`);

  it('one invalid line per bad line (too deep, not UTF-8, too long), every other line delivered, with numbers and reasons', async () => {
    const lines = [good(1), deep(6000), good(2), '{"kind":"process.exec","x":"\xff"}', good(3), 'x'.repeat(30_000), good(4)];
    const bytes = Buffer.concat(lines.map((l, i) => (i === 3 ? Buffer.from([...Buffer.from('{"kind":"x","v":"'), 0xff, 0xfe, ...Buffer.from('"}')]) : Buffer.from(l))).flatMap((b) => [b, Buffer.from('\n')]));
    const path = await tmpFile('hostile.jsonl', '');
    await writeFile(path, bytes);
    const { events, warnings, error } = await collect(new ReplayBackend({ path, onInvalid: 'skip', maxLineBytes: 20_000 }));
    expect(error).toBeUndefined();
    const kinds = events.map((e) => (e.kind === 'sensor.lost' ? 'lost' : (e as EventOfKind<'process.exec'>).process.pid));
    expect(kinds).toEqual([101, 'lost', 102, 'lost', 103, 'lost', 104]);
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/line 2: invalid event: raw\.linux\.deep\[0\].*nested deeper than 64 levels/),
      expect.stringMatching(/line 4: invalid event: not UTF-8 \(invalid byte 0xff at byte 18 of the line\)/),
      expect.stringMatching(/line 6: invalid event: line is longer than 20000 bytes \(30000 bytes/),
    ]);
  });

  it('with --on-invalid fail, a too-deep line ends the stream with its number, after the lines before it', async () => {
    const path = await tmpFile('deep.jsonl', `${good(1)}\n${deep(6000)}\n${good(2)}\n`);
    const { events, error } = await collect(new ReplayBackend({ path }));
    expect(events).toHaveLength(1);
    expect((error as { code: string }).code).toBe('ERR_INVALID_EVENT');
    expect((error as Error).message).toMatch(/line 2: .*nested deeper than 64/);
  });

  it('decodes what any bytes are without throwing: an event, or an invalid line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constant(Buffer.from(good(5))), fc.constant(Buffer.from(deep(70)))), { maxLength: 8 }), async (parts) => {
        const path = await tmpFile('fuzz.jsonl', '');
        await writeFile(path, Buffer.concat(parts.flatMap((p) => [Buffer.from(p), Buffer.from('\n')])));
        const { error } = await collect(new ReplayBackend({ path, onInvalid: 'skip' }));
        expect(error).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });
});
