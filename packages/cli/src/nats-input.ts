/**
 * The consuming side of a fleet: `detect --input nats://…` and `replay nats://…` read a
 * JetStream stream through {@link JetStreamInputBackend}; `detect --alerts-output nats://…`
 * publishes every match to `edrkit.alerts.<host>` (stream `EDRKIT_ALERTS`, created when
 * missing), with a message id per (rule, host, stream sequence) so a redelivered event
 * evaluated twice yields one stored alert.
 *
 * @module
 */
import { jetstream, jetstreamManager, StorageType, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { hostToken, JetStreamInputBackend, natsConnectionOptions, NatsUnavailableError, type EventOrigin } from '@edrkit/output';
import { natsConnection, type NatsFlags } from './nats-flags.js';

/** Flags of the NATS input. */
export interface NatsInputFlags extends NatsFlags {
  durable?: string;
  onInvalid?: 'skip' | 'fail';
}

/** The backend reading `url`: a shared durable consumer when `durable` is given, else the whole stream once. */
export function natsInputBackend(url: string, flags: NatsInputFlags, follow: boolean): JetStreamInputBackend {
  return new JetStreamInputBackend({
    connection: natsConnection(url, flags),
    follow,
    ...(flags.durable ? { durable: flags.durable } : {}),
    ...(flags.onInvalid ? { onInvalid: flags.onInvalid } : {}),
    ...(flags.natsStream ? { stream: flags.natsStream } : {}),
    ...(flags.subjectPrefix ? { subjectPrefix: flags.subjectPrefix } : {}),
  });
}

/** Stream and subject prefix of published alerts. */
export const ALERTS_STREAM = 'EDRKIT_ALERTS';
export const ALERTS_PREFIX = 'edrkit.alerts';

/** Publishes alerts to JetStream (the client reconnects by itself; an alert that cannot be acknowledged fails the run). */
export class AlertPublisher {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
  ) {}

  static async open(url: string, flags: NatsFlags): Promise<AlertPublisher> {
    const options = natsConnectionOptions(natsConnection(url, flags));
    let nc: NatsConnection;
    try {
      nc = await connect({ ...options, maxReconnectAttempts: -1 });
    } catch (err) {
      throw new NatsUnavailableError(`--alerts-output ${url}: cannot connect (${(err as Error).message})`, { cause: err });
    }
    const jsm = await jetstreamManager(nc);
    await jsm.streams.info(ALERTS_STREAM).catch(() => jsm.streams.add({ name: ALERTS_STREAM, subjects: [`${ALERTS_PREFIX}.>`], storage: StorageType.File }));
    return new AlertPublisher(nc, jetstream(nc));
  }

  /** Publish one alert and wait for JetStream's ack. */
  async publish(alert: { rule: { id: string | null; title: string } }, origin: EventOrigin | undefined): Promise<void> {
    const host = origin?.host ?? 'unknown';
    const id = `${alert.rule.id ?? alert.rule.title}:${host}:${origin?.streamSeq ?? Math.random()}`;
    await this.js.publish(`${ALERTS_PREFIX}.${hostToken(host)}`, JSON.stringify({ ...alert, host }), { msgID: id });
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => undefined);
  }
}
