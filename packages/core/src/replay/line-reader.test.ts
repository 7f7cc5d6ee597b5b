import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readLines, type ByteLine } from './line-reader.js';
import { decodeUtf8, firstInvalidUtf8 } from './utf8.js';

async function lines(chunks: Uint8Array[], maxBytes: number): Promise<ByteLine[]> {
  const out: ByteLine[] = [];
  for await (const l of readLines(Readable.from(chunks.map((c) => Buffer.from(c))), { maxBytes })) out.push(l);
  return out;
}

/** The reference: split the whole input at once. */
function naive(bytes: Uint8Array, maxBytes: number): Array<string | number> {
  const text = Buffer.from(bytes).toString('latin1');
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((p) => {
    const line = p.endsWith('\r') ? p.slice(0, -1) : p;
    return line.length > maxBytes ? p.length : line;
  });
}

describe('readLines', () => {
  it('splits any bytes, in any chunking, as splitting the whole input would', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }).map((a) => a.map((b) => (b % 4 === 0 ? 0x0a : b % 7 === 0 ? 0x0d : b))),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 30 }),
        async (bytes, sizes, maxBytes) => {
          const chunks: Uint8Array[] = [];
          for (let at = 0, k = 0; at < bytes.length; k++) {
            const n = sizes[k % sizes.length]!;
            chunks.push(bytes.subarray(at, at + n));
            at += n;
          }
          const got = (await lines(chunks, maxBytes)).map((l) => (l.tooLong ? l.length : l.bytes.toString('latin1')));
          expect(got).toEqual(naive(bytes, maxBytes));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('numbers lines from 1 and keeps the lines around a too-long one', async () => {
    const got = await lines([Buffer.from('a\nbbbbbbbbbb'), Buffer.from('bbbb\r\nc\r\n')], 5);
    expect(got).toEqual([
      { line: 1, tooLong: false, bytes: Buffer.from('a'), waits: true },
      { line: 2, tooLong: true, length: 15, waits: false },
      { line: 3, tooLong: false, bytes: Buffer.from('c'), waits: true },
    ]);
  });

  it('streams a 600 MB line without a newline in bounded memory', async () => {
    const chunk = Buffer.alloc(1 << 20, 0x61); // one reused 1 MiB buffer, 600 times
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"first":1}\n');
      for (let i = 0; i < 600; i++) yield chunk;
      yield Buffer.from('\n{"last":1}\n');
    }
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const out: ByteLine[] = [];
    for await (const l of readLines(source(), { maxBytes: 16 << 20 })) out.push(l);
    for await (const _ of readLines(source(), { maxBytes: 1 << 20 })) peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    expect(out.map((l) => (l.tooLong ? l.length : l.bytes.toString()))).toEqual(['{"first":1}', 600 << 20, '{"last":1}']);
    // Buffers held: at most the limit plus a chunk, not the 600 MB.
    expect(peak).toBeLessThan(64 << 20);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const read = async () => {
      for await (const _ of readLines(Readable.from([Buffer.from('a\nb\n')]), { maxBytes: 9, signal: controller.signal })) void _;
    };
    await expect(read()).rejects.toThrow(/abort/i);
  });
});

describe('strict UTF-8', () => {
  it('finds an invalid sequence exactly when a fatal TextDecoder refuses the bytes', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }).map((s) => new Uint8Array(Buffer.from(s)))), (bytes) => {
        let valid = true;
        try {
          fatal.decode(bytes);
        } catch {
          valid = false;
        }
        const at = firstInvalidUtf8(bytes);
        expect(at === -1).toBe(valid);
        expect(decodeUtf8(bytes).ok).toBe(valid);
        if (!valid) {
          // Everything before the offset is valid on its own.
          expect(() => fatal.decode(bytes.subarray(0, at))).not.toThrow();
        }
      }),
      { numRuns: 5000 },
    );
  });
});
