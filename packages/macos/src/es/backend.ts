/**
 * The `macos-es` backend: an Endpoint Security client of its own, through the native addon
 * (native/macos). Needs Apple's Endpoint Security entitlement in the signed program that runs
 * it, root and Full Disk Access; `es_new_client`'s refusals become errors that name the fix.
 * The addon hands over batches of eslogger-schema records, which the eslogger decoder maps;
 * ES drops show as sequence gaps (`kernel` loss), the addon's own bounded buffer overflowing
 * and JavaScript falling behind as `backend` loss. A live source: it never pauses ES.
 *
 * @module
 */
import { PassThrough } from 'node:stream';
import { BackendUnavailableError, InvalidArgumentError, probeError, type Backend, type BackendProbe, type BackendStartOptions, type BackendStats, type EventSink } from '@edrkit/core';
import { newClientRemedy } from '../es-remedies.js';
import { EsMessageDecoder } from '../eslogger/decoder.js';
import { ES_NOTIFY_EVENTS, esEventsFor } from '../eslogger/event-types.js';
import { realHost, type MacosHostApi } from '../host.js';
import { pumpRecords, type PumpCounters } from '../record-pump.js';
import { ADDON_ES_EVENTS, type EsAddonApi, type EsClientHandle } from './addon-api.js';
import { loadEsAddon } from './load-addon.js';
import { probeEs } from './probe.js';

/** Options of macos-es. */
export interface EsBackendOptions {
  /** Events per batch handed to the sensor (default 256). */
  batchSize?: number;
  /** Records waiting for JavaScript at most, in bytes (default 16 MiB); past it batches are dropped and counted. */
  maxPendingBytes?: number;
  /** Subscribe to ES `mmap` for `image.load` (default false: high volume). */
  imageLoads?: boolean;
}

/** The OS boundary of macos-es: the host facts and the addon (a fake in tests). */
export interface EsOsApi {
  host: MacosHostApi;
  addon(): EsAddonApi;
}

const realOs: EsOsApi = { host: realHost, addon: () => loadEsAddon() };
const CONVERTED = new Set<string>(ADDON_ES_EVENTS);

/** Streams Endpoint Security events from the addon's ES client. One instance serves one sensor. */
export class EsBackend implements Backend {
  readonly id = 'macos-es';
  readonly platform = 'macos' as const;
  private handle: EsClientHandle | undefined;
  private addon: EsAddonApi | undefined;
  private input: PassThrough | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;
  private decoder: EsMessageDecoder | undefined;
  private readonly counters: PumpCounters & { addonDropped: number; jsDropped: number } = { received: 0, lost: 0, malformed: 0, unmapped: 0, esDropped: 0, addonDropped: 0, jsDropped: 0 };

  constructor(
    private readonly options: EsBackendOptions = {},
    private readonly os: EsOsApi = realOs,
  ) {}

  probe(): Promise<BackendProbe> {
    return probeEs(this.os.host, () => this.os.addon(), this.options.imageLoads ?? false);
  }

  async start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    if (this.running) throw new InvalidArgumentError('EsBackend: already started; create one backend per sensor');
    const probe = await this.probe();
    if (!probe.available) throw probeError(probe);
    const names = esEventsFor(options.kinds.filter((k) => probe.kinds[k]?.supported)).filter((e) => CONVERTED.has(e));
    if (names.length === 0) throw new InvalidArgumentError(`macos-es: none of the kinds asked for (${options.kinds.join(', ')}) has an Endpoint Security event the addon converts`);
    const addon = this.os.addon();
    this.addon = addon;
    const input = new PassThrough();
    this.input = input;
    const maxPending = this.options.maxPendingBytes ?? 16 * 1024 * 1024;
    const opened = addon.open(
      names.map((n) => ES_NOTIFY_EVENTS[n]),
      (records, dropped) => {
        if (this.stopping) return;
        if (dropped > 0) {
          this.counters.addonDropped += dropped;
          this.counters.lost += dropped;
          sink.lost(dropped, `the macos-es addon's buffer was full (${dropped} message(s) dropped before JavaScript read them)`, 'backend');
        }
        if (records.length === 0) return;
        // JavaScript behind by more than the bound: this batch goes, counted, instead of memory growing.
        if (input.writableLength + records.length > maxPending) {
          let n = 0;
          for (const b of records) if (b === 0x0a) n++;
          this.counters.jsDropped += n;
          this.counters.lost += n;
          sink.lost(n, `macos-es: JavaScript fell ${input.writableLength} bytes behind the ES client; a batch of ${n} record(s) was dropped`, 'backend');
          return;
        }
        input.write(records);
      },
    );
    if (!opened.ok) {
      input.destroy();
      const remedy = opened.stage === 'client' ? newClientRemedy(opened.result) : { code: 'ERR_BACKEND_FAILED' as const, remedy: `es_subscribe refused the events ${names.join(', ')}` };
      throw new BackendUnavailableError(this.id, remedy.remedy, { code: remedy.code });
    }
    this.handle = opened.handle;
    const decoder = new EsMessageDecoder({ source: this.id });
    this.decoder = decoder;
    this.running = pumpRecords(input, decoder, sink, this.counters, {
      inputName: 'macos-es addon',
      batchSize: this.options.batchSize ?? 256,
      maxLineBytes: 16 * 1024 * 1024,
      signal: options.signal,
      pace: false,
      stopping: () => this.stopping,
    }).catch((err: Error) => {
      if (!this.stopping && !options.signal.aborted) sink.error(err);
    });
    options.signal.addEventListener('abort', () => void this.stop(), { once: true });
  }

  async stop(): Promise<void> {
    if (this.stopping) return this.running;
    this.stopping = true;
    if (this.handle && this.addon) this.addon.close(this.handle);
    this.handle = undefined;
    this.input?.end();
    await this.running;
  }

  stats(): BackendStats {
    const byType = this.decoder ? Object.fromEntries([...this.decoder.sequence.lostByType].map(([t, n]) => [`esDropped.${t}`, n])) : {};
    return { ...this.counters, ...byType };
  }
}
