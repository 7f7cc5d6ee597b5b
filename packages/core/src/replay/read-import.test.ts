import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EdrEvent } from '../events/schema.js';
import { openSensor } from '../sensor/open-sensor.js';
import { execDraft } from '../testing/memory-backend.js';
import type { ImportFormat } from './import-format.js';
import { readImport, type ImportedRecord } from './read-import.js';
import { ReplayBackend } from './replay-backend.js';

/** A toy format: `{"t":"exec","pid":N}` is an exec, `{"t":"gap","n":N}` a loss the source reports, anything else unmapped. */
function toyFormat(framing: ImportFormat['framing']): ImportFormat {
  return {
    name: 'toy',
    description: 'test records',
    framing,
    createDecoder() {
      return {
        decode(record) {
          const r = record as { t?: unknown; pid?: unknown; n?: unknown };
          if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new Error('record is not an object');
          if (r.t === 'exec') return { events: [execDraft(r.pid as number, '/bin/true')] };
          if (r.t === 'gap') return { events: [], lost: { count: r.n as number, reason: 'toy sequence gap' } };
          return { events: [] };
        },
      };
    },
  };
}

async function records(text: string, format: ImportFormat, maxRecordBytes = 1 << 20): Promise<ImportedRecord[]> {
  const out: ImportedRecord[] = [];
  for await (const r of readImport(Readable.from([Buffer.from(text)]), format, { inputName: 'toy.json', maxRecordBytes })) out.push(r);
  return out;
}

describe('readImport', () => {
  it('frames, parses and decodes JSON Lines and concatenated values alike', async () => {
    const lines = await records('{"t":"exec","pid":10}\n\n{"t":"other"}\n', toyFormat('json-lines'));
    const values = await records('{\n "t": "exec",\n "pid": 10\n}\n{"t":"other"}', toyFormat('json-values'));
    for (const got of [lines, values]) {
      expect(got.map((r) => r.ok && r.events.length)).toEqual([1, 0]);
      expect(got.map((r) => r.record)).toEqual([1, 2]);
    }
  });

  it('names the input, record and line of every bad record, and goes on', async () => {
    const got = await records('{"t":"exec","pid":1}\nnot json\n{"t":"exec","pid":-5}\n[1]\n{"t":"exec","pid":2}\n', toyFormat('json-lines'));
    expect(got.map((r) => r.ok)).toEqual([true, false, false, false, true]);
    const messages = got.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.message));
    expect(messages[0]).toMatch(/^toy\.json:line 2: invalid event: toy record 2: not JSON/);
    expect(messages[1]).toMatch(/toy\.json:line 3: .*toy record 3 maps to an invalid event/);
    expect(messages[2]).toMatch(/toy record 4: record is not an object|toy\.json:line 4/);
  });

  it('refuses records too long, not UTF-8 or nested too deep, one record each', async () => {
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`;
    const text = Buffer.concat([Buffer.from(`{"t":"exec","pid":1,"pad":"${'x'.repeat(200)}"}\n`), Buffer.from([0x7b, 0xff, 0x7d, 0x0a]), Buffer.from(`${deep}\n{"t":"exec","pid":3}\n`)]);
    const out: ImportedRecord[] = [];
    for await (const r of readImport(Readable.from([text]), toyFormat('json-lines'), { inputName: 'x', maxRecordBytes: 150 })) out.push(r);
    expect(out.map((r) => (r.ok ? 'ok' : r.error.message.replace(/^.*toy record \d+: /, '').split(' ')[0]))).toEqual(['longer', 'not', 'nested', 'ok']);
  });

  it('never throws on arbitrary input, whatever the framing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.constantFrom<ImportFormat['framing']>('json-lines', 'json-values'), async (bytes, framing) => {
        const out: ImportedRecord[] = [];
        for await (const r of readImport(Readable.from([Buffer.from(bytes)]), toyFormat(framing), { inputName: 'fuzz', maxRecordBytes: 64 })) out.push(r);
        for (const r of out) if (!r.ok) expect(r.error.code).toBe('ERR_INVALID_EVENT');
      }),
    );
  });
});

describe('ReplayBackend with an import format', () => {
  it('delivers the decoded events, reports source losses and skipped records as sensor.lost', async () => {
    const input = Readable.from([Buffer.from('{"t":"exec","pid":7}\n{"t":"gap","n":3}\nbad\n{"t":"exec","pid":8}\n')]);
    const backend = new ReplayBackend({ input, inputName: 'toy.jsonl', format: toyFormat('json-lines'), onInvalid: 'skip' });
    const sensor = await openSensor({ backend, filter: { includeSelf: true } });
    const events: EdrEvent[] = [];
    for await (const e of sensor) events.push(e);
    const seen = events.filter((e) => e.kind !== 'sensor.start' && e.kind !== 'sensor.stop').map((e) => (e.kind === 'sensor.lost' ? `lost ${e.lost.count}` : `${e.kind} ${e.process.pid}`));
    expect(seen).toEqual(['process.exec 7', 'lost 3', 'lost 1', 'process.exec 8']);
    expect(backend.stats()).toMatchObject({ received: 4, malformed: 1, skipped: 1, lost: 3, unmapped: 0 });
  });

  it('fails on a bad record by default, naming it', async () => {
    const backend = new ReplayBackend({ input: Readable.from([Buffer.from('{"t":"exec","pid":7}\n{oops\n')]), inputName: 'toy.jsonl', format: toyFormat('json-lines') });
    const sensor = await openSensor({ backend, filter: { includeSelf: true } });
    await expect(async () => {
      for await (const _ of sensor);
    }).rejects.toThrow(/toy\.jsonl:line 2: invalid event: toy record 2: not JSON/);
  });

  it('refuses something that is not an import format', () => {
    expect(() => new ReplayBackend({ path: 'x', format: { name: 'x' } as unknown as ImportFormat })).toThrow(/ImportFormat/);
  });
});
