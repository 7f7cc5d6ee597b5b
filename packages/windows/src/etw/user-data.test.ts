import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EtwMapper } from './etw-mapper.js';
import { PROVIDERS, TEMPLATES } from './templates.js';
import { decodeUserData, EtwDecodeError } from './user-data.js';
import { safeParseEvent } from '@edrkit/core';

describe('ETW payload decoding', () => {
  it('reads strings, SIDs, pointers and binary fields by the template', () => {
    const t = TEMPLATES.get('Microsoft-Windows-Kernel-Process/1/3')!;
    const parts = [
      Buffer.from([0x64, 0, 0, 0]), // ProcessID 100
      Buffer.alloc(8), // ProcessSequenceNumber
      Buffer.alloc(8), // CreateTime
      Buffer.from([0x32, 0, 0, 0]), // ParentProcessID 50
      Buffer.alloc(8), // ParentProcessSequenceNumber
      Buffer.alloc(16), // SessionID, Flags, ProcessTokenElevationType, ProcessTokenIsElevated
      Buffer.from([1, 1, 0, 0, 0, 0, 0, 16, 0x00, 0x30, 0, 0]), // S-1-16-12288
      Buffer.from('C:\\x.exe\0', 'utf16le'),
    ];
    const f = decodeUserData(t, Buffer.concat(parts), 8);
    expect(f).toMatchObject({ ProcessID: 100, ParentProcessID: 50, MandatoryLabel: 'S-1-16-12288', ImageName: 'C:\\x.exe' });
    expect(() => decodeUserData(t, Buffer.concat(parts).subarray(0, 30), 8)).toThrow(EtwDecodeError);
  });

  it('never crashes on arbitrary payloads: decoded events are valid, or an EtwDecodeError (fuzzed)', () => {
    const keys = [...TEMPLATES.values()];
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.uint8Array({ maxLength: 160 }), fc.constantFrom(4, 8), fc.integer({ min: 0, max: 70_000 }), (t, bytes, pointerSize, pid) => {
        const mapper = new EtwMapper();
        try {
          const events = mapper.map({ providerId: PROVIDERS[t.provider], id: t.id, version: t.version, opcode: 0, pid, tid: 1, time: 1_700_000_000_000, pointerSize: pointerSize as 4 | 8, userData: bytes });
          for (const e of events) {
            const r = safeParseEvent({ ...e, seq: 0 });
            expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
          }
        } catch (err) {
          expect(err).toBeInstanceOf(EtwDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
