// A three-node JetStream cluster on 127.0.0.1 (stream with 3 replicas): the node leading the
// stream is killed while a sensor publishes; every event is stored exactly once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { EdrEvent } from '@edrkit/core';
import { JetStreamSink } from '@edrkit/output';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { NatsFixture, natsSkipReason } from './nats-server.js';
import { readStream } from './read-stream.js';

const spool = mkdtempSync(join(tmpdir(), 'edrkit-spool-'));
afterAll(() => rmSync(spool, { recursive: true, force: true }));

function execs(n: number): EdrEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: 'process.exec',
    time: 1_700_000_000_000 + i,
    seq: i + 1,
    platform: 'linux',
    source: 'linux-ebpf',
    process: { pid: 2000 + i, ppid: 1, exe: '/usr/bin/true', args: ['true'], cmdline: 'true' },
  }));
}

async function streamLeader(url: string, stream: string): Promise<string | undefined> {
  const nc = await connect({ servers: url.split(','), timeout: 3000 });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(stream)).cluster?.leader;
  } finally {
    await nc.close();
  }
}

describe.skipIf(natsSkipReason)('JetStream sink on a three-node cluster', () => {
  it('the stream leader is killed mid-stream: every event stored once, none lost', async () => {
    const nats = await NatsFixture.start(3);
    try {
      const sink = await JetStreamSink.open({
        connection: { servers: nats.url },
        spool: { dir: spool },
        host: 'h',
        stream: { name: 'CLUSTER', replicas: 3 },
        window: 64,
        publishTimeoutMs: 2000,
        maxRetryDelayMs: 250,
        closeTimeoutMs: 30_000,
      });
      const all = execs(3000);
      for (let i = 0; i < 1000; i += 50) await sink.write(all.slice(i, i + 50));
      await sink.flush(30_000);
      const leader = await streamLeader(nats.url, 'CLUSTER');
      const victim = nats.nodes.find((n) => n.name === leader) ?? nats.nodes[0]!;
      for (let i = 1000; i < 2000; i += 50) await sink.write(all.slice(i, i + 50));
      await victim.stop('SIGKILL');
      for (let i = 2000; i < 3000; i += 50) await sink.write(all.slice(i, i + 50)), await sleep(5);
      await sink.flush(30_000);
      await sink.close();
      expect(sink.stats()).toMatchObject({ written: 3000, delivered: 3000, pending: 0, lost: 0 });
      const live = nats.nodes.filter((n) => n !== victim).map((n) => n.url).join(',');
      const stored = await readStream(live, 'CLUSTER');
      const seqs = stored.map((m) => m.spoolSeq);
      expect(new Set(seqs).size).toBe(seqs.length); // no duplicate
      expect([...seqs].sort((a, b) => a - b)).toEqual(all.map((e) => e.seq)); // none lost
      // Order per host: exact unless a window straddled the leader election (docs/fleet.md).
      const outOfOrder = seqs.filter((s, i) => i > 0 && s < seqs[i - 1]!).length;
      expect(outOfOrder).toBeLessThanOrEqual(1);
    } finally {
      await nats.close();
    }
  }, 90_000);
});
