// Messages from the stream are untrusted bytes from other hosts: decoding never throws, and
// whatever it accepts is a valid event.
import fc from 'fast-check';
import { EventSchema } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { decodeStreamMessage } from './decode-message.js';

describe('decodeStreamMessage', () => {
  it('never throws on arbitrary text or JSON, and accepts only valid events', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ kind: 'process.exec', time: 1, seq: 1, platform: 'linux', source: 'x', process: v })));
    fc.assert(
      fc.property(text, (t) => {
        const r = decodeStreamMessage(t, undefined, 'nats test');
        if (r.ok) expect(EventSchema.safeParse(r.event).success).toBe(true);
        else expect(r.error.code).toMatch(/^ERR_(INVALID|UNKNOWN)_/);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses OCSF/ECS messages by name and reads edrkit JSON', () => {
    const ev = { kind: 'process.exit', time: 1, seq: 3, platform: 'linux', source: 'linux-ebpf', process: { pid: 1, ppid: 0, exe: '/x', args: [], cmdline: '' } };
    expect(decodeStreamMessage(JSON.stringify(ev), 'json', 'm')).toMatchObject({ ok: true, event: ev });
    const r = decodeStreamMessage('{}', 'ocsf', 'nats s #1');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/published as ocsf; detection reads edrkit JSON/);
  });
});
