/**
 * The `windows-etw` backend: a real-time ETW session over the kernel and system providers
 * (providers.ts), decoded by template (etw-mapper.ts). The record callback only copies and
 * maps; events are pushed in batches once per turn of the event loop. The session's own loss
 * counters (EventsLost, RealTimeBuffersLost) become `sensor.lost` at the kernel stage.
 *
 * @module
 */
import { OBSERVABLE_KINDS, probeError, type Backend, type BackendProbe, type BackendStartOptions, type BackendStats, type EventDraft, type EventSink, type KindSupport, type ObservableKind } from '@edrkit/core';
import { bindAdvapi32Etw } from '../win32/advapi32/evntrace.js';
import { loadKoffi } from '../win32/koffi.js';
import { EtwError } from '../errors.js';
import { EtwMapper } from './etw-mapper.js';
import type { EtwRecord } from './etw-record.js';
import { EtwSession, type SessionLoss } from './etw-session.js';
import { WindowsEtwOptionsSchema, type WindowsEtwOptions } from './options.js';
import { etwKindSupport, providersFor } from './providers.js';

const ID = 'windows-etw';

function kindsMap(support: (k: ObservableKind) => KindSupport): Record<ObservableKind, KindSupport> {
  return Object.fromEntries(OBSERVABLE_KINDS.map((k) => [k, support(k)])) as Record<ObservableKind, KindSupport>;
}

/** What `windows-etw` can do here. Loads koffi and the library (nothing else) when on Windows or given a stand-in. */
export async function probeWindowsEtw(options: WindowsEtwOptions): Promise<BackendProbe> {
  if (process.platform !== 'win32' && !options.library) {
    const reason = `runs on windows only (this is ${process.platform})`;
    return { id: ID, available: false, code: 'ERR_NOT_SUPPORTED', reason, kinds: kindsMap(() => ({ supported: false, reason })) };
  }
  const koffi = loadKoffi();
  if (koffi instanceof Error) return { id: ID, available: false, code: 'ERR_NATIVE_MISSING', reason: koffi.message, kinds: kindsMap(() => ({ supported: false, reason: koffi.message })) };
  const library = options.library ?? 'advapi32.dll';
  try {
    bindAdvapi32Etw(koffi, library);
  } catch (err) {
    const reason = `could not load ${library} (${(err as Error).message})`;
    return { id: ID, available: false, code: 'ERR_NATIVE_MISSING', reason, kinds: kindsMap(() => ({ supported: false, reason })) };
  }
  return { id: ID, available: true, kinds: kindsMap(etwKindSupport), details: { library, session: `edrkit-${options.sessionName}` } };
}

/** A real-time ETW session as an edrkit backend. One instance serves one sensor. */
export class WindowsEtwBackend implements Backend {
  readonly id = ID;
  readonly platform = 'windows' as const;
  private readonly options: WindowsEtwOptions;
  private session: EtwSession | undefined;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sink: EventSink | undefined;
  private batch: EventDraft[] = [];
  private flushQueued = false;
  private stopping = false;
  private lastLoss: SessionLoss = { eventsLost: 0, realTimeBuffersLost: 0 };
  private readonly mapper = new EtwMapper();
  private readonly counters = { received: 0, lost: 0, malformed: 0, buffersLost: 0 };

  constructor(options: Partial<WindowsEtwOptions> = {}) {
    this.options = WindowsEtwOptionsSchema.parse(options);
  }

  probe(): Promise<BackendProbe> {
    return probeWindowsEtw(this.options);
  }

  async start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    const probe = await this.probe();
    if (!probe.available) throw probeError(probe);
    const koffi = loadKoffi();
    if (koffi instanceof Error) throw koffi;
    const api = bindAdvapi32Etw(koffi, this.options.library ?? 'advapi32.dll');
    const session = new EtwSession(koffi, api, { name: `edrkit-${this.options.sessionName}`, bufferKb: this.options.bufferKb, minBuffers: 4, maxBuffers: this.options.maxBuffers });
    this.sink = sink;
    session.start();
    this.session = session;
    try {
      for (const provider of providersFor(options.kinds)) {
        try {
          session.enable(provider);
        } catch (err) {
          // One provider missing on this Windows leaves the others working: say so, go on.
          if (err instanceof EtwError && err.code === 'ERR_ETW_PROVIDER_MISSING') sink.warn(err);
          else throw err;
        }
      }
      const traced = session.run((r) => this.onRecord(r));
      this.running = traced.then(
        (status) => {
          this.flush();
          if (!this.stopping && status !== 0) sink.error(new EtwError('ERR_ETW_FAILED', 'ProcessTrace', status, `ProcessTrace ended with Win32 error ${status}: the session ${`edrkit-${this.options.sessionName}`} was stopped from outside edrkit or failed`));
          else sink.end();
        },
        (err: Error) => sink.error(err),
      );
    } catch (err) {
      session.stop();
      throw err;
    }
    this.timer = setInterval(() => this.reportLoss(session.query()), this.options.lossPollMs);
    this.timer.unref();
    options.signal.addEventListener('abort', () => void this.stop(), { once: true });
  }

  private onRecord(r: EtwRecord): void {
    this.counters.received++;
    try {
      for (const e of this.mapper.map(r)) this.batch.push(e);
    } catch (err) {
      this.counters.malformed++;
      this.sink?.warn(err as Error);
      this.sink?.lost(1, `undecodable ETW record (${(err as Error).message})`, 'backend');
    }
    if (!this.flushQueued && this.batch.length) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (!this.batch.length || !this.sink) return;
    const batch = this.batch;
    this.batch = [];
    this.sink.push(batch);
  }

  /** Report the growth of the session's loss counters since the last look. */
  private reportLoss(loss: SessionLoss | undefined): void {
    if (!loss || !this.sink) return;
    const events = loss.eventsLost - this.lastLoss.eventsLost;
    const buffers = loss.realTimeBuffersLost - this.lastLoss.realTimeBuffersLost;
    this.lastLoss = loss;
    this.flush(); // loss markers go after what was received before them
    if (events > 0) {
      this.counters.lost += events;
      this.sink.lost(events, 'ETW session buffers full (EventsLost)', 'kernel');
    }
    if (buffers > 0) {
      this.counters.buffersLost += buffers;
      this.sink.lost(buffers, `ETW real-time buffers lost (RealTimeBuffersLost: ${buffers} buffers, each of many events, not delivered)`, 'kernel');
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return this.running;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    const session = this.session;
    if (!session) return;
    this.reportLoss(session.stop());
    await this.running;
  }

  stats(): BackendStats {
    return { ...this.counters, unknownVersions: this.mapper.unknownVersions };
  }
}
