// The JetStream sink against a real nats-server: every kind in each format, a server killed
// and restarted mid-stream (and a sensor restarted on the same spool), and spool overflow.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { toECS, toOCSF } from '@edrkit/export';
import { JetStreamInputBackend, JetStreamSink, SINK_FORMATS, eventSubject, type SinkFormat } from '@edrkit/output';
import { SAMPLES } from '../export/samples.js';
import { freePort, NatsFixture, natsSkipReason } from './nats-server.js';
import { NatsFixtureAt } from './nats-server-at.js';
import { readStream } from './read-stream.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'edrkit-spool-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `n` valid process.exec events, seq 1..n. */
function execs(n: number, from = 1): EdrEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'process.exec',
    time: 1_700_000_000_000 + from + i,
    seq: from + i,
    platform: 'linux',
    source: 'linux-ebpf',
    process: { pid: 1000 + ((from + i) % 30000), ppid: 1, exe: '/usr/bin/true', args: ['true', String(from + i)], cmdline: `true ${from + i}` },
  }));
}

const fast = { publishTimeoutMs: 1000, maxRetryDelayMs: 200, closeTimeoutMs: 10_000 } as const;

describe.skipIf(natsSkipReason)('JetStream sink (nats-server)', () => {
  let nats: NatsFixture;
  beforeAll(async () => {
    nats = await NatsFixture.start(1);
  });
  afterAll(() => nats?.close());

  for (const format of SINK_FORMATS) {
    it(`round-trips every kind as ${format}`, async () => {
      const stream = `RT_${format.toUpperCase()}`;
      const prefix = `rt.${format}`;
      const sink = await JetStreamSink.open({ connection: { servers: nats.url }, spool: { dir: tempDir() }, host: 'web-1.example', subjectPrefix: prefix, stream: { name: stream }, format: format as SinkFormat, ...fast });
      await sink.write(SAMPLES);
      await sink.flush();
      expect(sink.stats()).toMatchObject({ written: SAMPLES.length, delivered: SAMPLES.length, pending: 0, lost: 0 });
      await sink.close();
      const stored = await readStream(nats.url, stream);
      expect(stored.map((m) => m.subject)).toEqual(SAMPLES.map((e) => eventSubject(prefix, 'web-1.example', e.kind)));
      expect(stored.map((m) => m.msgId)).toEqual(SAMPLES.map((_, i) => `web-1.example:${i + 1}`));
      const expected = SAMPLES.map((e) => JSON.parse(JSON.stringify(format === 'json' ? e : format === 'ocsf' ? toOCSF(e) : toECS(e))) as unknown);
      expect(stored.map((m) => m.data)).toEqual(expected);
    });
  }

  it('reads every kind back through the input backend, as a sensor', async () => {
    const sink = await JetStreamSink.open({ connection: { servers: nats.url }, spool: { dir: tempDir() }, host: 'h1', subjectPrefix: 'back', stream: { name: 'BACK' }, ...fast });
    const events = SAMPLES.filter((e) => e.kind !== 'sensor.lost' && e.kind !== 'sensor.start' && e.kind !== 'sensor.stop');
    await sink.write(events);
    await sink.close();
    const backend = new JetStreamInputBackend({ connection: { servers: nats.url }, stream: 'BACK', subjectPrefix: 'back', follow: false });
    const sensor = await openSensor({ backend, kinds: [...new Set(events.map((e) => e.kind))] as never, filter: { includeSelf: true } });
    const got: EdrEvent[] = [];
    for await (const e of sensor) if (e.kind !== 'sensor.start' && e.kind !== 'sensor.stop') got.push(e);
    expect(got.map(({ seq: _s, ...e }) => e)).toEqual(events.map(({ seq: _s, ...e }) => e));
    expect(backend.origin(got[0]!)).toMatchObject({ host: 'h1', subject: eventSubject('back', 'h1', got[0]!.kind) });
  });
});

describe.skipIf(natsSkipReason)('JetStream sink: outages and restarts', () => {
  it('a server killed and restarted mid-stream: every event stored once, in order; a sensor restarted on the same spool resumes', async () => {
    const nats = await NatsFixture.start(1);
    const spool = tempDir();
    try {
      const open = () => JetStreamSink.open({ connection: { servers: nats.url }, spool: { dir: spool }, host: 'h', stream: { name: 'RESTART' }, window: 64, ...fast, closeTimeoutMs: 500 });
      let sink = await open();
      const all = execs(3000);
      for (let i = 0; i < 1000; i += 50) await sink.write(all.slice(i, i + 50)), await sleep(2);
      await nats.nodes[0]!.stop('SIGKILL');
      for (let i = 1000; i < 2000; i += 50) await sink.write(all.slice(i, i + 50));
      // The sensor restarts while the server is down: what it spooled is picked up by the next one.
      await sink.close();
      expect(sink.stats().pending).toBeGreaterThan(0);
      sink = await open();
      await nats.nodes[0]!.start();
      for (let i = 2000; i < 3000; i += 50) await sink.write(all.slice(i, i + 50));
      await sink.flush(15_000);
      await sink.close();
      const stored = await readStream(nats.url, 'RESTART');
      expect(stored.length).toBe(3000);
      expect(stored.map((m) => m.spoolSeq)).toEqual(all.map((e) => e.seq));
      expect(stored.map((m) => (m.data as EdrEvent).seq)).toEqual(all.map((e) => e.seq));
    } finally {
      await nats.close();
    }
  });

  it('spool overflow while the server is unreachable: the oldest are dropped, counted exactly, and one sensor.lost is published in their place', async () => {
    const port = await freePort();
    const spool = tempDir();
    const sink = await JetStreamSink.open({ connection: { servers: `nats://127.0.0.1:${port}` }, spool: { dir: spool, maxBytes: 64 * 1024, segmentBytes: 8 * 1024 }, host: 'h', stream: { name: 'OVER' }, ...fast });
    const all = execs(2000);
    for (let i = 0; i < all.length; i += 20) await sink.write(all.slice(i, i + 20));
    const lost = sink.stats().lost;
    expect(lost).toBeGreaterThan(0);
    expect(sink.stats().spoolBytes).toBeLessThanOrEqual(64 * 1024 + 8 * 1024);
    const nats = await NatsFixtureAt(port);
    try {
      await sink.flush(15_000);
      await sink.close();
      expect(sink.stats()).toMatchObject({ written: 2000, delivered: 2000 - lost, lost, lostMarkers: 1 });
      const stored = await readStream(nats.url, 'OVER');
      // Records the sender had already taken (its first window) still go; the gap follows them.
      const at = stored.findIndex((m) => (m.data as EdrEvent).kind === 'sensor.lost');
      expect(stored.filter((m) => (m.data as EdrEvent).kind === 'sensor.lost')).toHaveLength(1);
      expect(stored[at]!.data).toMatchObject({ kind: 'sensor.lost', lost: { count: lost, stage: 'consumer' } });
      expect(stored[at]!.subject).toBe('edrkit.events.h.sensor_lost');
      const seqs = stored.filter((_, i) => i !== at).map((m) => (m.data as EdrEvent).seq);
      expect(seqs).toEqual([...all.slice(0, at), ...all.slice(at + lost)].map((e) => e.seq));
    } finally {
      await nats.stop();
    }
  });
});
