import fc from 'fast-check';
import { safeParseEvent } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { decodeFileMessage, MinifilterMessageError } from './protocol.js';

describe('minifilter protocol v1 (fuzzed)', () => {
  it('any bytes: a valid event or a MinifilterMessageError', () => {
    const header = fc.record({ op: fc.integer({ min: 0, max: 6 }), pl: fc.integer({ min: 0, max: 80 }), tl: fc.integer({ min: 0, max: 40 }), time: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), version: fc.constantFrom(0, 1, 2) });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)), fc.tuple(header, fc.uint8Array({ maxLength: 120 })).map(([h, tail]) => {
        const b = Buffer.alloc(32);
        b.writeUInt16LE(h.version, 0);
        b.writeUInt16LE(h.op, 2);
        b.writeBigUInt64LE(h.time, 16);
        b.writeUInt16LE(h.pl, 24);
        b.writeUInt16LE(h.tl, 26);
        return Buffer.concat([b, Buffer.from(tail)]);
      })), (body) => {
        try {
          const r = safeParseEvent({ ...decodeFileMessage(body), seq: 0 });
          expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(MinifilterMessageError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
