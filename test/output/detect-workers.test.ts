// Two `edrkit detect --input nats://…` processes in one consumer group (the same durable pull
// consumer) share a stream: each event is evaluated by one of them, so the alerts add up to
// exactly one per matching event, and both publish them to the alerts stream.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { EdrEvent } from '@edrkit/core';
import { JetStreamSink } from '@edrkit/output';
import { startEdrkit } from '../cli/cli-helpers.js';
import { NatsFixture, natsSkipReason } from './nats-server.js';
import { readStream } from './read-stream.js';

const dir = mkdtempSync(join(tmpdir(), 'edrkit-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULE = 'title: marker tool run\nid: 0d6f4b8e-3c1a-4f57-9e0b-2a7c5d9e1f34\nlogsource: { product: linux, category: process_creation }\ndetection:\n  sel: { Image|endswith: /marker-tool }\n  condition: sel\nlevel: high\n';

function event(i: number): EdrEvent {
  const exe = i % 2 === 0 ? '/opt/bin/marker-tool' : '/usr/bin/true';
  return { kind: 'process.exec', time: 1_700_000_000_000 + i, seq: i + 1, platform: 'linux', source: 'linux-ebpf', process: { pid: 10_000 + i, ppid: 1, exe, args: [exe], cmdline: exe } };
}

type Match = { rule: { title: string }; event: EdrEvent & { kind: 'process.exec' } };
const matchesOf = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Match);

describe.skipIf(natsSkipReason)('detect workers sharing a stream', () => {
  it('two detect processes on one durable consumer: every matching event alerts once, alerts published', async () => {
    const nats = await NatsFixture.start(1);
    try {
      writeFileSync(join(dir, 'rule.yml'), RULE);
      const sink = await JetStreamSink.open({ connection: { servers: nats.url }, spool: { dir: join(dir, 'spool') }, host: 'sensor-a', publishTimeoutMs: 2000, maxRetryDelayMs: 200 });
      await sink.write([event(0)]); // creates the stream before the workers attach
      await sink.flush();
      const args = ['detect', '--input', nats.url, '--durable', 'workers', '--rules', join(dir, 'rule.yml'), '--format', 'json', '--alerts-output', nats.url, '--duration', '30'];
      const workers = [startEdrkit(args), startEdrkit(args)];
      await sleep(3000); // both attached and pulling
      for (let i = 1; i < 400; i += 10) {
        await sink.write(Array.from({ length: 10 }, (_, k) => event(i + k)).filter((e) => e.seq <= 400));
        await sleep(20);
      }
      await sink.flush();
      await sink.close();
      const expected = 200; // even i in 0..399
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && workers.reduce((n, w) => n + matchesOf(w.stdout()).length, 0) < expected) await sleep(200);
      for (const w of workers) w.child.kill('SIGTERM');
      const results = await Promise.all(workers.map((w) => w.done));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const perWorker = results.map((r) => matchesOf(r.stdout));
      const pids = perWorker.flat().map((m) => m.event.process.pid);
      expect(pids.length).toBe(expected);
      expect(new Set(pids).size).toBe(expected); // no event evaluated twice
      expect(perWorker.every((m) => m.length > 0)).toBe(true); // the work was shared
      const alerts = await readStream(nats.url, 'EDRKIT_ALERTS');
      expect(alerts).toHaveLength(expected);
      expect(alerts.every((a) => a.subject === 'edrkit.alerts.sensor-a' && (a.data as { host: string }).host === 'sensor-a')).toBe(true);
    } finally {
      await nats.close();
    }
  }, 90_000);
});
