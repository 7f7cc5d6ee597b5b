// The part B records (close-after-write 16, shell line 17): decoded from the builder, and
// random lengths and reasons inside otherwise valid records never throw anything but a
// RecordDecodeError (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordDecodeError } from './errors.js';
import { LAYOUT } from './layout.js';
import { batch, closeWriteRecord } from './record-builder.js';
import { decodeBatch } from './records.js';

describe('part B records', () => {
  it('decodes a close-after-write record', () => {
    const { records, errors } = decodeBatch(batch([closeWriteRecord({ pid: 9, comm: 'useradd' }, { dirIno: 2 ** 40 + 3, ino: 77, name: 'passwd', reason: 2 })]));
    expect(errors).toEqual([]);
    expect(records[0]).toMatchObject({ type: 'close-write', dirIno: 2 ** 40 + 3, ino: 77, name: 'passwd', reason: 'exit', h: { pid: 9, comm: 'useradd' } });
  });

  it('rejects bad lengths and reasons with RecordDecodeError only', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 16, max: 17 }), (name, len, reason, type) => {
        const r = closeWriteRecord({ pid: 1 }, { dirIno: 1, name });
        const v = new DataView(r.buffer, r.byteOffset, r.byteLength);
        v.setUint16(LAYOUT['edrkit_hdr.type'], type, true);
        v.setUint16(LAYOUT['edrkit_cw_rec.name_len'], len, true);
        v.setUint32(LAYOUT['edrkit_cw_rec.reason'], reason, true);
        const { records, errors } = decodeBatch(batch([r]));
        for (const e of errors) expect(e).toBeInstanceOf(RecordDecodeError);
        expect(records.length + errors.length).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
