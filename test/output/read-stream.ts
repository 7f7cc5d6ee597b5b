// Reads a whole JetStream stream (an ordered consumer from the start) for assertions.
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface StoredMessage {
  subject: string;
  seq: number;
  msgId: string | undefined;
  host: string | undefined;
  spoolSeq: number;
  data: unknown;
}

export async function readStream(servers: string, stream: string): Promise<StoredMessage[]> {
  const nc = await connect({ servers: servers.split(','), timeout: 5000 });
  try {
    const js = jetstream(nc);
    const jsm = await js.jetstreamManager();
    const total = (await jsm.streams.info(stream)).state.messages;
    const out: StoredMessage[] = [];
    if (total === 0) return out;
    // Right after a leader election the cluster may not answer the first consumer request in
    // time: ask again (a read-back helper of the tests, not the sink under test).
    let c: Awaited<ReturnType<typeof js.consumers.get>> | undefined;
    for (let attempt = 1; !c; attempt++) {
      try {
        c = await js.consumers.get(stream);
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    while (out.length < total) {
      const iter = await c.fetch({ max_messages: Math.min(1000, total - out.length), expires: 2000 });
      for await (const m of iter) {
        out.push({
          subject: m.subject,
          seq: m.seq,
          msgId: m.headers?.get('Nats-Msg-Id'),
          host: m.headers?.get('Edrkit-Host'),
          spoolSeq: Number(m.headers?.get('Edrkit-Seq')),
          data: m.json(),
        });
      }
    }
    return out;
  } finally {
    await nc.close();
  }
}
