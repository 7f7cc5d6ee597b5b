/**
 * The `windows-minifilter` backend through its real koffi bindings against the stand-in
 * library playing a vendor minifilter: connect to the port, FilterGetMessage on a worker
 * thread, messages of the edrkit protocol v1 decoded into file events, a verdict replied for
 * each held operation, a bad message → warning + sensor.lost, stop cancels the pending read,
 * and a missing port / access denied are errors that name the fix.
 */
import { createRequire } from 'node:module';
import { beforeEach, describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { WindowsMinifilterBackend } from '@edrkit/windows';
import { filetime, HAVE_STANDIN, STANDIN } from './etw-encode.js';

interface Controls {
  StandinPortReset(name: string): void;
  StandinPortDeny(deny: number): void;
  StandinPortOpen(): number;
  StandinPortReplies(): number;
  StandinPortLastVerdict(): number;
  StandinPortQueue(body: Buffer, length: number): void;
}
let c: Controls;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

/** A protocol v1 message body (written from the documented layout, not by the decoder). */
function message(op: number, pid: number, path: string, target = '', flags = 0, version = 1): Buffer {
  const p = Buffer.from(path, 'utf16le');
  const t = Buffer.from(target, 'utf16le');
  const b = Buffer.alloc(32);
  b.writeUInt16LE(version, 0);
  b.writeUInt16LE(op, 2);
  b.writeUInt32LE(pid, 4);
  b.writeUInt32LE(pid + 1, 8);
  b.writeUInt32LE(flags, 12);
  b.writeBigUInt64LE(filetime(T0), 16);
  b.writeUInt16LE(p.length, 24);
  b.writeUInt16LE(t.length, 26);
  return Buffer.concat([b, p, t]);
}

describe.skipIf(!HAVE_STANDIN)('windows-minifilter through the stand-in library', () => {
  beforeEach(() => {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const lib = koffi.load(STANDIN);
    c = {
      StandinPortReset: lib.func('void StandinPortReset(str16 name)'),
      StandinPortDeny: lib.func('void StandinPortDeny(int deny)'),
      StandinPortOpen: lib.func('int StandinPortOpen(void)'),
      StandinPortReplies: lib.func('uint32_t StandinPortReplies(void)'),
      StandinPortLastVerdict: lib.func('uint32_t StandinPortLastVerdict(void)'),
      StandinPortQueue: lib.func('void StandinPortQueue(const uint8_t *body, uint32_t length)'),
    } as unknown as Controls;
    c.StandinPortReset('\\edrkitPort');
  });

  it('reads file events, replies a verdict for each, and stops by cancelling the pending read', async () => {
    const backend = new WindowsMinifilterBackend({ library: STANDIN }, (e) => (e.kind === 'file.delete' ? 'deny' : 'allow'));
    const sensor = await openSensor({ backend, kinds: ['file.create', 'file.open', 'file.rename', 'file.delete'], filter: { includeSelf: true }, processTable: false });
    const warnings: Error[] = [];
    sensor.on('warning', (w: Error) => warnings.push(w));
    const send = (b: Buffer) => c.StandinPortQueue(b, b.length);
    send(message(1, 100, 'C:\\Temp\\new.txt'));
    send(message(5, 100, 'C:\\Temp\\new.txt', '', 0x1 | 0x2));
    send(message(4, 100, 'C:\\Temp\\new.txt', 'C:\\Temp\\moved.txt'));
    send(message(1, 100, 'C:\\Temp\\x.txt', '', 0, 2)); // a protocol version this client does not read
    send(message(3, 100, 'C:\\Temp\\moved.txt'));
    const events: EdrEvent[] = [];
    for await (const e of sensor) {
      if (e.kind === 'sensor.start') continue;
      events.push(e);
      if (events.length >= 5) break;
    }
    await sensor.close();
    expect(events.map((e) => e.kind)).toEqual(['file.create', 'file.open', 'file.rename', 'sensor.lost', 'file.delete']);
    expect(events[0]).toMatchObject({ source: 'windows-minifilter', platform: 'windows', time: T0, process: { pid: 100, tid: 101 }, file: { path: 'C:\\Temp\\new.txt' } });
    expect(events[1]).toMatchObject({ flags: ['read', 'write'] });
    expect(events[2]).toMatchObject({ file: { path: 'C:\\Temp\\new.txt' }, target: { path: 'C:\\Temp\\moved.txt' } });
    expect(warnings.map((w) => w.message)).toEqual(['minifilter message: version 2; this edrkit reads version 1']);
    expect(c.StandinPortReplies()).toBe(5); // every held operation got an answer, the bad message too (allow)
    expect(c.StandinPortLastVerdict()).toBe(1); // the delete was denied
    expect(c.StandinPortOpen()).toBe(0);
  });

  it('a missing port and access denied name the fix', async () => {
    const open = (port: string) => openSensor({ backend: new WindowsMinifilterBackend({ library: STANDIN, port }), kinds: ['file.create'] });
    await expect(open('\\otherPort')).rejects.toMatchObject({ code: 'ERR_MINIFILTER_PORT_NOT_FOUND', message: expect.stringMatching(/fltmc filters/) });
    c.StandinPortDeny(1);
    await expect(open('\\edrkitPort')).rejects.toMatchObject({ code: 'ERR_PERMISSION', message: expect.stringMatching(/security descriptor/) });
  });
});
