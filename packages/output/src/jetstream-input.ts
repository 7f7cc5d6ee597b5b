/**
 * Reading events back from JetStream as a sensor backend, for detection workers: `edrkit
 * detect --input nats://…` and `edrkit replay nats://…`. With a durable name, every process
 * that uses it shares one pull consumer, so JetStream hands each message to one of them
 * (work sharing: add processes or machines to scale out); without one, an ordered consumer
 * reads the whole stream from its start.
 *
 * A message is acknowledged once its batch has been handed to the sensor and the sensor's
 * queue has room again (`sink.ready()`): a worker stopped cleanly evaluates all it acked; a
 * worker killed outright can lose at most the events queued in it (bounded by `--max-queue`),
 * while unacknowledged ones are redelivered to another worker after `ackWaitMs`.
 *
 * @module
 */
import { allKinds, InvalidArgumentError, OBSERVABLE_KINDS, type Backend, type BackendProbe, type BackendStats, type BackendStartOptions, type EdrEvent, type EventDraft, type EventSink, type Platform } from '@edrkit/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { AckPolicy, DeliverPolicy, jetstream, type Consumer, type JsMsg } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { decodeStreamMessage } from './decode-message.js';
import { NatsUnavailableError } from './errors.js';
import { DEFAULT_STREAM, isNotFound, ensureStream } from './jetstream-stream.js';
import { natsConnectionOptions, type NatsConnectOptions } from './nats-connection.js';
import { checkSubjectPrefix, DEFAULT_SUBJECT_PREFIX } from './subject.js';

/** Where an event delivered by {@link JetStreamInputBackend} came from. */
export interface EventOrigin {
  /** The publishing host (`Edrkit-Host` header). */
  host: string;
  subject: string;
  /** Its sequence in the stream. */
  streamSeq: number;
}

/** Options of {@link JetStreamInputBackend}. */
export interface JetStreamInputOptions {
  connection: NatsConnectOptions;
  /** Stream name (default `EDRKIT`); it must exist. */
  stream?: string;
  /** Subject prefix the sensors publish under (default `edrkit.events`). */
  subjectPrefix?: string;
  /** Durable consumer shared by every worker that names it; created when missing. Without: an ordered consumer from the start. */
  durable?: string;
  /** Keep reading new messages (default true); false ends the stream once nothing is pending. */
  follow?: boolean;
  /** Messages per fetch (default 256). */
  batchSize?: number;
  /** A message that is not an edrkit event: `fail` ends the stream with it, `skip` (default) warns and counts it as lost. */
  onInvalid?: 'skip' | 'fail';
  /** When creating the durable consumer: redeliver an unacknowledged message after this long, in ms (default 30000). */
  ackWaitMs?: number;
}

/** A sensor backend over a JetStream stream of edrkit JSON events. */
export class JetStreamInputBackend implements Backend {
  readonly id = 'nats';
  readonly replaysRecordedEvents = true;
  private detectedPlatform: Platform | undefined;
  private nc: NatsConnection | undefined;
  private readonly controller = new AbortController();
  private running: Promise<void> | undefined;
  private readonly origins = new WeakMap<object, EventOrigin>();
  private readonly counters = { received: 0, lost: 0, malformed: 0, skipped: 0, acked: 0, pullErrors: 0 };
  private readonly prefix: string;

  constructor(private readonly options: JetStreamInputOptions) {
    natsConnectionOptions(options.connection);
    this.prefix = checkSubjectPrefix(options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
    if (options.durable !== undefined && !/^[A-Za-z0-9_-]+$/.test(options.durable)) {
      throw new InvalidArgumentError(`durable consumer name '${options.durable}' may hold only A-Z a-z 0-9 _ -`);
    }
    const b = options.batchSize;
    if (b !== undefined && !(Number.isInteger(b) && b > 0)) throw new InvalidArgumentError(`JetStreamInputBackend: batchSize must be a positive integer, got ${b}`);
  }

  /** The platform of the events (from the first one; `linux` before any arrived). */
  get platform(): Platform {
    return this.detectedPlatform ?? 'linux';
  }

  /** Where a delivered event came from (host, subject, stream sequence). */
  origin(event: EdrEvent): EventOrigin | undefined {
    return this.origins.get(event);
  }

  async probe(): Promise<BackendProbe> {
    return { id: this.id, available: true, kinds: allKinds({ supported: true, note: 'as published to the stream' }, OBSERVABLE_KINDS) };
  }

  async start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    if (this.running) throw new InvalidArgumentError('JetStreamInputBackend: already started; create one backend per sensor');
    const servers = natsConnectionOptions(this.options.connection);
    try {
      this.nc = await connect({ ...servers, maxReconnectAttempts: -1, waitOnFirstConnect: false });
    } catch (err) {
      throw new NatsUnavailableError(`NATS ${String(servers.servers)}: cannot connect (${(err as Error).message})`, { cause: err });
    }
    const consumer = await this.consumer(this.nc).catch(async (err: unknown) => {
      await this.nc?.close();
      throw err;
    });
    const signal = AbortSignal.any([options.signal, this.controller.signal]);
    this.running = this.read(consumer, new Set<string>(options.kinds), sink, signal).catch((err) => {
      if (!signal.aborted) sink.error(err as Error);
    });
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running;
    await this.nc?.flush().catch(() => undefined); // the last acks
    await this.nc?.close().catch(() => undefined);
  }

  stats(): BackendStats {
    return { ...this.counters };
  }

  private async consumer(nc: NatsConnection): Promise<Consumer> {
    const stream = this.options.stream ?? DEFAULT_STREAM;
    const js = jetstream(nc);
    try {
      const jsm = await ensureStream(nc, this.prefix, { name: stream, create: false });
      const durable = this.options.durable;
      // An ordered consumer over the whole stream (a filter needs server 2.10; the stream holds only `<prefix>.>`).
      if (durable === undefined) return await js.consumers.get(stream, { deliver_policy: DeliverPolicy.All });
      try {
        await jsm.consumers.info(stream, durable);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await jsm.consumers
          .add(stream, {
            durable_name: durable,
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            filter_subject: `${this.prefix}.>`,
            ack_wait: nanos(this.options.ackWaitMs ?? 30_000),
          })
          .catch(async (e: unknown) => {
            // Another worker created it at the same moment.
            await jsm.consumers.info(stream, durable).catch(() => {
              throw e;
            });
          });
      }
      return await js.consumers.get(stream, durable);
    } catch (err) {
      if (err instanceof NatsUnavailableError) throw err;
      const what = isNotFound(err) ? `stream '${stream}' does not exist (a sensor creates it on its first publish: edrkit watch --output nats://…)` : (err as Error).message;
      throw new NatsUnavailableError(`NATS: cannot read stream '${stream}': ${what}`, { cause: err });
    }
  }

  private async read(consumer: Consumer, kinds: Set<string>, sink: EventSink, signal: AbortSignal): Promise<void> {
    const follow = this.options.follow ?? true;
    const max = this.options.batchSize ?? 256;
    while (!signal.aborted) {
      const msgs: JsMsg[] = [];
      // A long pull for a worker that follows (its idle heartbeats then tolerate a busy event loop).
      const iter = await consumer.fetch({ max_messages: max, expires: follow ? 5000 : 1000 });
      const onAbort = () => iter.stop();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        for await (const m of iter) msgs.push(m);
      } catch (err) {
        // A pull that failed (missed heartbeats, a reconnect) is only retried: what it did not
        // deliver is still pending on the server, and what it delivered is handled below.
        if (signal.aborted) return;
        this.counters.pullErrors++;
        if (msgs.length === 0) {
          await sleep(200, undefined, { signal }).catch(() => undefined);
          if (this.counters.pullErrors % 10 === 1) sink.warn(new NatsUnavailableError(`NATS: a pull from the stream failed (${(err as Error).message}); retrying`));
          continue;
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
      if (signal.aborted) return; // unacknowledged: redelivered later
      if (msgs.length === 0) {
        if (!follow && (await consumer.info(true)).num_pending === 0) break;
        continue;
      }
      const batch: EventDraft[] = [];
      for (const m of msgs) {
        const done = this.decode(m, kinds, batch, sink);
        if (done === 'fail') return;
      }
      if (batch.length) sink.push(batch);
      await sink.ready();
      for (const m of msgs) m.ack();
      this.counters.acked += msgs.length;
      if (!follow && msgs.at(-1)!.info.pending === 0) break;
    }
    sink.end();
  }

  /** One message into the batch (or a loss report); 'fail' when it ended the stream. */
  private decode(m: JsMsg, kinds: Set<string>, batch: EventDraft[], sink: EventSink): 'ok' | 'fail' {
    this.counters.received++;
    const host = m.headers?.get('Edrkit-Host') || m.subject.split('.').at(-2) || 'unknown';
    const where = { input: `nats ${m.subject} #${m.seq}` };
    const parsed = decodeStreamMessage(m.string(), m.headers?.get('Edrkit-Format'), where.input);
    if (!parsed.ok) {
      this.counters.malformed++;
      const err = parsed.error;
      if (this.options.onInvalid === 'fail') {
        if (batch.length) sink.push(batch.splice(0));
        sink.error(err);
        return 'fail';
      }
      this.counters.skipped++;
      if (batch.length) sink.push(batch.splice(0));
      sink.warn(err);
      sink.lost(1, `skipped ${err.message}`, 'backend');
      return 'ok';
    }
    const { seq: _seq, ...draft } = parsed.event;
    if (draft.kind === 'sensor.lost') {
      // The publishing sensor's own loss: reported here as loss, in place.
      if (batch.length) sink.push(batch.splice(0));
      this.counters.lost += draft.lost.count;
      sink.lost(draft.lost.count, `host ${host}: ${draft.lost.reason}`, 'backend');
      return 'ok';
    }
    // The publisher's start/stop markers, and kinds nobody asked for, are acknowledged and dropped here.
    if (draft.kind === 'sensor.start' || draft.kind === 'sensor.stop' || !kinds.has(draft.kind)) return 'ok';
    this.detectedPlatform ??= draft.platform;
    this.origins.set(draft, { host, subject: m.subject, streamSeq: m.seq });
    batch.push(draft as EventDraft);
    return 'ok';
  }
}
