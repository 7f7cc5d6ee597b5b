import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJsonValues, type JsonValueBytes } from './json-values.js';

function chunked(bytes: Uint8Array, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const n = sizes[k % sizes.length]!;
    chunks.push(Buffer.from(bytes.subarray(at, at + n)));
    at += n;
  }
  return chunks;
}

async function values(chunks: Buffer[], maxBytes = 1 << 20): Promise<JsonValueBytes[]> {
  const out: JsonValueBytes[] = [];
  for await (const v of readJsonValues(Readable.from(chunks), { maxBytes })) out.push(v);
  return out;
}

const text = (v: JsonValueBytes): string | number => (v.tooLong ? v.length : v.bytes.toString('utf8'));

describe('readJsonValues', () => {
  it('splits concatenated JSON values, in any chunking, into the values written', async () => {
    const containers = fc.oneof(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), fc.array(fc.jsonValue({ maxDepth: 3 })));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(containers, fc.constantFrom('', '\n', ' \r\n', '\t', '\n\n'), fc.boolean()), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        async (items, sizes) => {
          const written = items.map(([v, , pretty]) => JSON.stringify(v, null, pretty ? 2 : undefined));
          const input = Buffer.from(items.map(([, sep], i) => written[i] + sep).join(''), 'utf8');
          const got = await values(chunked(input, sizes));
          expect(got.map(text)).toEqual(written);
          expect(got.map((v) => v.record)).toEqual(written.map((_, i) => i + 1));
        },
      ),
    );
  });

  it('never throws on arbitrary bytes, and keeps every byte that is not whitespace between values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1 }), async (bytes, sizes) => {
        const got = await values(chunked(bytes, sizes), 64);
        const kept = got.reduce((n, v) => n + (v.tooLong ? v.length : v.bytes.length), 0);
        const nonSpace = [...bytes].filter((b) => ![0x20, 0x09, 0x0a, 0x0d].includes(b)).length;
        expect(kept).toBeGreaterThanOrEqual(nonSpace);
        expect(kept).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });

  it('reports the line a value starts on, and a stray header as its own unit', async () => {
    const input = 'Record 1\n{\n  "a": "}{\\"",\n  "b": [1, {"c": 2}]\n}\n\n[3]';
    const got = await values([Buffer.from(input)]);
    expect(got.map(text)).toEqual(['Record', '1', '{\n  "a": "}{\\"",\n  "b": [1, {"c": 2}]\n}', '[3]']);
    expect(got.map((v) => v.line)).toEqual([1, 1, 2, 7]);
  });

  it('bounds a value past maxBytes: counted, not kept, and the next value comes through', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(5000) });
    const got = await values(chunked(Buffer.from(`${big}{"ok":1}`), [100]), 1000);
    expect(got[0]).toMatchObject({ tooLong: true, length: big.length, record: 1 });
    expect(text(got[1]!)).toBe('{"ok":1}');
  });

  it('yields a value cut off by the end of the input as it is, for the parser to name', async () => {
    const got = await values([Buffer.from('{"a": [1, 2')]);
    expect(got.map(text)).toEqual(['{"a": [1, 2']);
  });
});
