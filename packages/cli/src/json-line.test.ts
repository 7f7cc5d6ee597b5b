import fc from 'fast-check';
import type { EdrEvent } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { EventJson } from './json-line.js';

const anyValue = fc.oneof(fc.jsonValue(), fc.constantFrom(undefined, Number.NaN, -0, Infinity, () => 1, Symbol('s')), fc.string({ unit: 'binary' }));

describe('EventJson', () => {
  it('writes exactly what JSON.stringify writes, for events that share process and raw objects', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.string({ unit: 'binary' }), anyValue), { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ extra: fc.dictionary(fc.string(), anyValue), proc: fc.nat(3), raw: fc.nat(3), mode: fc.constantFrom('shared', 'own', 'absent') }), { maxLength: 30 }),
        (shared, specs) => {
          const json = new EventJson();
          for (const s of specs) {
            const event: Record<string, unknown> = { kind: 'file.create', time: 1.5, ...s.extra };
            if (s.mode === 'shared') {
              event['process'] = shared[s.proc % shared.length];
              event['raw'] = shared[s.raw % shared.length];
            } else if (s.mode === 'own') {
              event['process'] = { ...shared[s.proc % shared.length] };
              event['raw'] = null;
            }
            expect(json.stringify(event as unknown as EdrEvent)).toBe(JSON.stringify(event));
          }
        },
      ),
    );
  });

  it('a new process object gives its own text (remembered by identity, not by pid)', () => {
    const json = new EventJson();
    const a = { kind: 'process.exit', time: 1, seq: 1, process: { pid: 1, exe: '/a' } } as unknown as EdrEvent;
    const b = { kind: 'process.exit', time: 2, seq: 2, process: { pid: 1, exe: '/b' } } as unknown as EdrEvent;
    expect(json.stringify(a)).toContain('"/a"');
    expect(json.stringify(b)).toContain('"/b"');
    expect(json.stringify(b)).toBe(JSON.stringify(b));
  });
});
