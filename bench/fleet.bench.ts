/**
 * Fleet sizing (docs/fleet.md): events per second one sensor publishes to JetStream through
 * its spool (appended, published, acknowledged, committed), with each fsync policy, and events
 * per second one `detect` worker pulls from a durable consumer and evaluates with the starter
 * rule pack. Against a local nats-server (Debian's; JetStream file store in a temp dir) on
 * 127.0.0.1, so the figures are of the sensor and the worker, not of a network.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { JetStreamInputBackend, JetStreamSink, type SpoolFsync } from '@edrkit/output';
import { RuleSet } from '@edrkit/sigma';
import { loadStarterRules } from '../packages/cli/src/starter-pack.js';
import { NatsFixture, natsSkipReason } from '../test/output/nats-server.js';

const N = Number(process.env['EDRKIT_BENCH_FLEET_N'] ?? 10_000);
const demo = readFileSync(new URL('../examples/recordings/demo.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as EdrEvent)
  .filter((e) => !e.kind.startsWith('sensor.'));
const events: EdrEvent[] = Array.from({ length: N }, (_, i) => ({ ...demo[i % demo.length]!, seq: i + 1 }));

async function publish(nats: NatsFixture, fsync: SpoolFsync, stream: string, dir: string): Promise<Record<string, string | number>> {
  const sink = await JetStreamSink.open({ connection: { servers: nats.url }, spool: { dir: join(dir, stream), fsync }, host: 'bench', stream: { name: stream }, subjectPrefix: `bench.${stream.toLowerCase()}`, onWarning: (e) => console.error(e.message) });
  const t0 = performance.now();
  for (let i = 0; i < N; i += 256) await sink.write(events.slice(i, i + 256));
  await sink.flush(120_000);
  const s = (performance.now() - t0) / 1000;
  await sink.close();
  return { stage: `sensor → JetStream (spool fsync ${fsync}, batches of 256)`, events: N, seconds: s, 'events/s': Math.round(N / s) };
}

async function evaluate(nats: NatsFixture, stream: string): Promise<Record<string, string | number>> {
  const set = new RuleSet(loadStarterRules().rules);
  const backend = new JetStreamInputBackend({ connection: { servers: nats.url }, stream, subjectPrefix: `bench.${stream.toLowerCase()}`, durable: 'bench', follow: false });
  const t0 = performance.now();
  const sensor = await openSensor({ backend, kinds: set.kinds as never, filter: { includeSelf: true } });
  let seen = 0;
  let matches = 0;
  for await (const e of sensor) {
    if (e.kind.startsWith('sensor.')) continue;
    seen++;
    matches += set.match(e).length;
  }
  const s = (performance.now() - t0) / 1000;
  seen = backend.stats().received; // every message pulled (kinds no rule needs are acked and dropped in the backend)
  return { stage: `JetStream → detect worker (durable pull, starter pack, ${matches} matches)`, events: seen, seconds: s, 'events/s': Math.round(seen / s) };
}

export async function run(): Promise<Array<Record<string, string | number>>> {
  if (natsSkipReason) return [{ stage: `skipped: ${natsSkipReason}` }];
  const dir = mkdtempSync(join(tmpdir(), 'edrkit-bench-fleet-'));
  const nats = await NatsFixture.start(1);
  try {
    const rows = [await publish(nats, 'os', 'BENCH_OS', dir), await publish(nats, 'batch', 'BENCH_BATCH', dir)];
    rows.push(await evaluate(nats, 'BENCH_OS'));
    return rows;
  } finally {
    await nats.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
