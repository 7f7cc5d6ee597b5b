/**
 * The NATS JetStream sink: every event goes first into the on-disk {@link Spool} (so a
 * sensor never waits for the network), and a sender publishes the spool in order, a window
 * of messages at a time, and commits the spool offset only once JetStream acknowledged the
 * whole window. While the server is unreachable the spool fills (bounded: the oldest
 * segments go first, counted as lost and published as one `sensor.lost` event where the gap
 * is); after reconnection the sender resumes from the first unacknowledged record.
 *
 * Each message carries `Nats-Msg-Id: <host>:<spool seq>`: a window retried after a lost ack
 * is deduplicated by JetStream (within the stream's duplicate window). The spool sequence
 * persists across restarts, so a restarted sensor never reuses an id.
 *
 * @module
 */
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, type EdrEvent, type Platform } from '@edrkit/core';
import type { ExportOptions } from '@edrkit/export';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { encodeEvent, type SinkFormat } from './encode.js';
import { NatsUnavailableError } from './errors.js';
import { ensureStream, type StreamSettings } from './jetstream-stream.js';
import { natsConnectionOptions, type NatsConnectOptions } from './nats-connection.js';
import type { Sink, SinkStats } from './sink.js';
import { Spool, type SpoolOptions, type SpoolRecord } from './spool.js';
import { checkSubjectPrefix, DEFAULT_SUBJECT_PREFIX, eventSubject } from './subject.js';

/** Options of {@link JetStreamSink}. */
export interface JetStreamSinkOptions {
  connection: NatsConnectOptions;
  /** The spool: its directory (one sensor per directory), size and fsync policy. */
  spool: SpoolOptions;
  /** Host name in subjects, message ids and the `Edrkit-Host` header (default `os.hostname()`). */
  host?: string;
  /** Subject prefix (default `edrkit.events`): subjects are `<prefix>.<host>.<kind>`. */
  subjectPrefix?: string;
  stream?: StreamSettings;
  /** Wire format (default `json`). Detection workers (`edrkit detect --input`) read `json`. */
  format?: SinkFormat;
  exportOptions?: ExportOptions;
  /** Messages in flight before waiting for their acks (default 256). */
  window?: number;
  /** How long to wait for one ack, in ms (default 5000). */
  publishTimeoutMs?: number;
  /** Longest wait between reconnection attempts, in ms (default 5000; doubling from 100). */
  maxRetryDelayMs?: number;
  /** How long `close()` keeps sending what is spooled, in ms (default 5000); the rest stays in the spool. */
  closeTimeoutMs?: number;
  /** Told when the server becomes unreachable and when it is back. */
  onWarning?: (err: Error) => void;
}

/** Publishes events to JetStream through an on-disk spool (at-least-once, deduplicated by message id). */
export class JetStreamSink implements Sink {
  readonly kind = 'nats';
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private readonly stop = new AbortController();
  private running: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private lastAppended = 0;
  private commitWaiters: Array<() => void> = [];
  private platform: Platform | undefined;
  private source: string | undefined;
  private outage = false;
  private readonly host: string;
  private readonly prefix: string;
  private readonly counters = { written: 0, delivered: 0, retries: 0, published: 0, lostMarkers: 0 };

  private constructor(
    private readonly options: JetStreamSinkOptions,
    private readonly spool: Spool,
  ) {
    this.host = options.host ?? hostname();
    this.prefix = checkSubjectPrefix(options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX);
  }

  /** Open the spool and start sending (connecting in the background: an unreachable server only means spooling). */
  static async open(options: JetStreamSinkOptions): Promise<JetStreamSink> {
    natsConnectionOptions(options.connection); // check URLs and files now
    for (const key of ['window', 'publishTimeoutMs', 'maxRetryDelayMs', 'closeTimeoutMs'] as const) {
      const v = options[key];
      if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new InvalidArgumentError(`JetStreamSink: ${key} must be a positive integer, got ${v}`);
    }
    const spool = await Spool.open(options.spool);
    const sink = new JetStreamSink(options, spool);
    sink.lastAppended = spool.committed + spool.pending;
    sink.running = sink.run();
    return sink;
  }

  async write(events: readonly EdrEvent[]): Promise<void> {
    if (this.closing) throw new InvalidArgumentError('JetStreamSink: write after close');
    if (events.length === 0) return;
    const format = this.options.format ?? 'json';
    const first = events[0]!;
    this.platform ??= first.platform;
    this.source ??= first.source;
    const records = events.map((e) => ({ subject: eventSubject(this.prefix, this.host, e.kind), payload: encodeEvent(e, format, this.options.exportOptions) }));
    const seqs = await this.spool.append(records);
    this.counters.written += events.length;
    this.lastAppended = seqs.at(-1)!;
  }

  async flush(timeoutMs = this.options.closeTimeoutMs ?? 5000): Promise<void> {
    const target = this.lastAppended;
    const deadline = performance.now() + timeoutMs;
    while (this.spool.committed < target) {
      const left = deadline - performance.now();
      if (left <= 0 || this.stop.signal.aborted) throw new NatsUnavailableError(`NATS ${String(this.options.connection.servers)}: ${target - this.spool.committed} events not acknowledged within ${timeoutMs} ms (kept in the spool ${this.options.spool.dir})`);
      await Promise.race([new Promise<void>((r) => this.commitWaiters.push(r)), sleep(left)]);
    }
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush().catch(() => undefined); // what is left stays in the spool for the next start
      this.stop.abort();
      await this.running;
      await this.nc?.close().catch(() => undefined);
      await this.spool.close();
    })();
    return this.closing;
  }

  stats(): SinkStats {
    return { ...this.counters, pending: this.spool.pending, lost: this.spool.lost, spoolBytes: this.spool.bytes, committed: this.spool.committed };
  }

  /** The sender: take a window from the spool, publish it, wait for every ack, commit; retry the window on any failure. */
  private async run(): Promise<void> {
    const signal = this.stop.signal;
    const window = this.options.window ?? 256;
    let pending: SpoolRecord[] = [];
    let markers = 0;
    let delay = 100;
    while (!signal.aborted) {
      if (pending.length === 0) {
        const taken = await this.spool.take(window).catch((err: unknown) => (this.warn(err as Error), undefined));
        if (!taken) {
          await sleep(delay, undefined, { signal }).catch(() => undefined);
          continue;
        }
        markers = 0;
        if (taken.gap) {
          pending.push(this.lostMarker(taken.gap));
          markers = 1;
        }
        pending.push(...taken.records);
        if (pending.length === 0) {
          await this.spool.waitForData(signal);
          continue;
        }
      }
      try {
        const js = await this.connection();
        await Promise.all(pending.map((r) => this.publish(js, r)));
        this.counters.published += pending.length;
        this.counters.delivered += pending.length - markers;
        this.counters.lostMarkers += markers;
        const last = pending.at(-1)!;
        await this.spool.commit(last.seq);
        pending = [];
        delay = 100;
        if (this.outage) {
          this.outage = false;
          this.warn(new Error(`NATS: publishing again (${this.spool.pending} events still spooled)`));
        }
        for (const w of this.commitWaiters.splice(0)) w();
      } catch (err) {
        if (signal.aborted) break;
        this.counters.retries++;
        if (!this.outage) {
          this.outage = true;
          this.warn(new Error(`NATS: cannot publish (${(err as Error).message}); spooling to ${this.options.spool.dir} and retrying`));
        }
        await this.drop();
        await sleep(delay, undefined, { signal }).catch(() => undefined);
        delay = Math.min(delay * 2, this.options.maxRetryDelayMs ?? 5000);
      }
    }
    for (const w of this.commitWaiters.splice(0)) w();
  }

  private publish(js: JetStreamClient, r: SpoolRecord & { id?: string }): Promise<unknown> {
    const h = headers();
    h.set('Edrkit-Host', this.host);
    h.set('Edrkit-Seq', String(r.seq));
    h.set('Edrkit-Format', this.options.format ?? 'json');
    return js.publish(r.subject, r.payload, { msgID: r.id ?? `${this.host}:${r.seq}`, headers: h, timeout: this.options.publishTimeoutMs ?? 5000 });
  }

  /** The `sensor.lost` event for a gap of trimmed records, placed where the gap is; its id is fixed, so a retry is deduplicated. */
  private lostMarker(gap: { from: number; count: number }): SpoolRecord & { id: string } {
    const event: EdrEvent = {
      kind: 'sensor.lost',
      time: Date.now(),
      seq: gap.from,
      platform: this.platform ?? hostPlatform(),
      source: this.source ?? 'edrkit-output',
      lost: { count: gap.count, reason: `spool full (${this.options.spool.dir}): the oldest ${gap.count} events were dropped`, stage: 'consumer' },
    };
    return {
      seq: gap.from + gap.count - 1,
      id: `${this.host}:lost:${gap.from}`,
      subject: eventSubject(this.prefix, this.host, 'sensor.lost'),
      payload: encodeEvent(event, this.options.format ?? 'json', this.options.exportOptions),
    };
  }

  private async connection(): Promise<JetStreamClient> {
    if (this.nc && !this.nc.isClosed() && this.js) return this.js;
    // Reconnection is ours, not the client's: a fresh connection resends the window from its first
    // unacknowledged record, so nothing buffered by a dying connection can overtake it.
    const nc = await connect({ ...natsConnectionOptions(this.options.connection), reconnect: false, pingInterval: 5000, maxPingOut: 2 });
    try {
      await ensureStream(nc, this.prefix, this.options.stream);
    } catch (err) {
      await nc.close().catch(() => undefined);
      throw err;
    }
    this.nc = nc;
    this.js = jetstream(nc, { timeout: this.options.publishTimeoutMs ?? 5000 });
    return this.js;
  }

  private async drop(): Promise<void> {
    const nc = this.nc;
    this.nc = undefined;
    this.js = undefined;
    await nc?.close().catch(() => undefined);
  }

  private warn(err: Error): void {
    this.options.onWarning?.(err);
  }
}

function hostPlatform(): Platform {
  return process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : 'linux';
}
