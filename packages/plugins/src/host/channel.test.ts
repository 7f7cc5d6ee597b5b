import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineChannel } from './channel.js';

function channel(max = 64) {
  const stream = new PassThrough();
  const messages: unknown[] = [];
  const errors: string[] = [];
  const ch = new LineChannel(stream, max, { message: (m) => messages.push(m), protocolError: (r) => errors.push(r) });
  // The channel reads 'data' from the stream; push bytes as the child would write them.
  const feed = (bytes: string | Buffer) => stream.emit('data', Buffer.from(bytes));
  return { ch, feed, messages, errors };
}

describe('LineChannel', () => {
  it('parses lines split across chunks and several lines in one chunk', () => {
    const { feed, messages, errors } = channel();
    feed('{"t":"re');
    feed('ady"}\n{"t":"done","id":1}\n{"t"');
    feed(':"hb"}\n');
    expect(messages).toEqual([{ t: 'ready' }, { t: 'done', id: 1 }, { t: 'hb' }]);
    expect(errors).toEqual([]);
  });

  it('refuses a frame over the bound without buffering it, and stops reading', () => {
    const { feed, messages, errors } = channel(64);
    feed('x'.repeat(40));
    feed('x'.repeat(40));
    feed('\n{"t":"ready"}\n');
    expect(errors).toEqual(['a message longer than 64 bytes']);
    expect(messages).toEqual([]);
  });

  it('refuses a line that is not JSON', () => {
    const { feed, errors } = channel();
    feed('not json\n');
    expect(errors).toEqual(['a line that is not JSON']);
  });

  it('never throws and never exceeds the bound on arbitrary bytes (fuzzed)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 100 }), { maxLength: 20 }), (chunks) => {
        const { feed, errors } = channel(64);
        for (const c of chunks) feed(Buffer.from(c));
        expect(errors.length).toBeLessThanOrEqual(1);
      }),
    );
  });
});
