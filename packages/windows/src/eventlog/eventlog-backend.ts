/**
 * The `windows-eventlog` backend: Event Log subscriptions (EvtSubscribe, future events) to the
 * channels that carry what ETW does not — logons, accounts, services, tasks — and Sysmon's
 * channel where Sysmon is installed. Each delivered event is rendered as XML (EvtRender),
 * parsed and mapped by the same code as the log import, so live and imported events are alike.
 * A subscription error callback (the channel's events were overwritten before they were read)
 * becomes `sensor.lost`.
 *
 * @module
 */
import { OBSERVABLE_KINDS, PermissionError, probeError, type Backend, type BackendProbe, type BackendStartOptions, type BackendStats, type EventDraft, type EventSink, type KindSupport, type ObservableKind } from '@edrkit/core';
import { mapWindowsRecord } from '../import/map-record.js';
import { fromEventXml } from '../import/event-xml.js';
import { bindKernel32, type Kernel32 } from '../win32/kernel32/kernel32.js';
import { loadKoffi, type KoffiModule } from '../win32/koffi.js';
import { ERROR_ACCESS_DENIED, ERROR_EVT_CHANNEL_NOT_FOUND } from '../win32/types.js';
import { bindWevtapi, EvtRenderEventXml, EvtSubscribeActionDeliver, EvtSubscribeToFutureEvents, type EVT_HANDLE, type Wevtapi } from '../win32/wevtapi/wevtapi.js';
import { ERROR_INSUFFICIENT_BUFFER } from '../win32/tdh/tdh.js';
import { EventLogError } from '../errors.js';
import { channelsFor, eventLogKindSupport } from './channels.js';
import { WindowsEventLogOptionsSchema, type WindowsEventLogOptions } from './options.js';

const ID = 'windows-eventlog';
/** The subscription error that says events were overwritten before they were delivered. */
const ERROR_EVT_QUERY_RESULT_STALE = 15011;

function kindsMap(support: (k: ObservableKind) => KindSupport): Record<ObservableKind, KindSupport> {
  return Object.fromEntries(OBSERVABLE_KINDS.map((k) => [k, support(k)])) as Record<ObservableKind, KindSupport>;
}

/** What `windows-eventlog` can do here. */
export async function probeWindowsEventLog(options: WindowsEventLogOptions): Promise<BackendProbe> {
  if (process.platform !== 'win32' && !options.library) {
    const reason = `runs on windows only (this is ${process.platform})`;
    return { id: ID, available: false, code: 'ERR_NOT_SUPPORTED', reason, kinds: kindsMap(() => ({ supported: false, reason })) };
  }
  const koffi = loadKoffi();
  if (koffi instanceof Error) return { id: ID, available: false, code: 'ERR_NATIVE_MISSING', reason: koffi.message, kinds: kindsMap(() => ({ supported: false, reason: koffi.message })) };
  try {
    bindWevtapi(koffi, options.library ?? 'wevtapi.dll');
  } catch (err) {
    const reason = `could not load ${options.library ?? 'wevtapi.dll'} (${(err as Error).message})`;
    return { id: ID, available: false, code: 'ERR_NATIVE_MISSING', reason, kinds: kindsMap(() => ({ supported: false, reason })) };
  }
  return { id: ID, available: true, kinds: kindsMap(eventLogKindSupport) };
}

/** Event Log subscriptions as an edrkit backend. One instance serves one sensor. */
export class WindowsEventLogBackend implements Backend {
  readonly id = ID;
  readonly platform = 'windows' as const;
  private readonly options: WindowsEventLogOptions;
  private readonly subscriptions: EVT_HANDLE[] = [];
  private callback: unknown;
  private koffi: KoffiModule | undefined;
  private api: Wevtapi | undefined;
  private sink: EventSink | undefined;
  private batch: EventDraft[] = [];
  private flushQueued = false;
  private stopped: Promise<void> | undefined;
  private readonly counters = { received: 0, lost: 0, malformed: 0, unmapped: 0 };

  constructor(options: Partial<WindowsEventLogOptions> = {}) {
    this.options = WindowsEventLogOptionsSchema.parse(options);
  }

  probe(): Promise<BackendProbe> {
    return probeWindowsEventLog(this.options);
  }

  async start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    const probe = await this.probe();
    if (!probe.available) throw probeError(probe);
    const koffi = loadKoffi() as KoffiModule;
    const api = bindWevtapi(koffi, this.options.library ?? 'wevtapi.dll');
    const kernel32: Kernel32 = bindKernel32(koffi, this.options.library ?? 'kernel32.dll');
    this.koffi = koffi;
    this.api = api;
    this.sink = sink;
    // Called on the main thread (koffi queues calls from the Event Log's threads): render, copy, return.
    this.callback = koffi.register((action: number, _context: unknown, event: EVT_HANDLE) => {
      if (action === EvtSubscribeActionDeliver) this.deliver(event);
      else this.subscriptionError(Number(koffi.address(event)));
      return 0;
    }, api.types.EVT_SUBSCRIBE_CALLBACK);
    const queries = channelsFor(options.kinds, this.options.channels);
    const missing: string[] = [];
    try {
      for (const q of queries) {
        const handle = api.EvtSubscribe(null, null, q.channel, q.query, null, null, this.callback, EvtSubscribeToFutureEvents);
        if (handle) {
          this.subscriptions.push(handle);
          continue;
        }
        const status = kernel32.GetLastError();
        if (status === ERROR_ACCESS_DENIED) throw new PermissionError(`EvtSubscribe(${q.channel}): channel access denied — run edrkit elevated, or add the account to the Event Log Readers group`);
        if (status === ERROR_EVT_CHANNEL_NOT_FOUND) {
          missing.push(q.channel);
          sink.warn(new EventLogError('ERR_EVENTLOG_CHANNEL_MISSING', q.channel, status, `EvtSubscribe(${q.channel}): no such channel on this Windows, so its ${q.carries} are not seen${q.channel.includes('Sysmon') ? ' (install Sysmon)' : ''}`));
          continue;
        }
        throw new EventLogError('ERR_EVENTLOG_FAILED', q.channel, status, `EvtSubscribe(${q.channel}) failed with Win32 error ${status}`);
      }
      if (!this.subscriptions.length) throw new EventLogError('ERR_EVENTLOG_CHANNEL_MISSING', missing.join(', '), ERROR_EVT_CHANNEL_NOT_FOUND, `none of the channels edrkit needs exists here (${missing.join(', ')})`);
    } catch (err) {
      await this.stop();
      throw err;
    }
    options.signal.addEventListener('abort', () => void this.stop(), { once: true });
  }

  private render(event: EVT_HANDLE): string {
    const api = this.api!;
    const used: [number] = [0];
    const count: [number] = [0];
    // First call sizes the buffer (ERROR_INSUFFICIENT_BUFFER), the second renders into it.
    if (api.EvtRender(null, event, EvtRenderEventXml, 0, null, used, count) === 0 && used[0] > 0) {
      const buf = Buffer.alloc(used[0]);
      if (api.EvtRender(null, event, EvtRenderEventXml, buf.length, buf, used, count) !== 0) return buf.toString('utf16le', 0, Math.max(0, used[0] - 2));
    }
    throw new EventLogError('ERR_EVENTLOG_FAILED', 'EvtRender', ERROR_INSUFFICIENT_BUFFER, 'EvtRender could not render a delivered event as XML');
  }

  private deliver(event: EVT_HANDLE): void {
    this.counters.received++;
    try {
      const events = mapWindowsRecord(fromEventXml(this.render(event)));
      if (!events.length) this.counters.unmapped++;
      for (const e of events) this.batch.push({ ...e, source: ID });
    } catch (err) {
      this.counters.malformed++;
      this.sink?.warn(err as Error);
      this.sink?.lost(1, `unreadable Event Log event (${(err as Error).message})`, 'backend');
    }
    if (!this.flushQueued && this.batch.length) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  private subscriptionError(status: number): void {
    this.flush();
    if (status === ERROR_EVT_QUERY_RESULT_STALE) {
      // The channel wrapped over events not yet delivered: how many is not reported, at least one.
      this.counters.lost++;
      this.sink?.lost(1, 'Event Log channel overwrote events before they were delivered (ERROR_EVT_QUERY_RESULT_STALE)', 'kernel');
    } else {
      this.sink?.warn(new EventLogError('ERR_EVENTLOG_FAILED', 'subscription', status, `Event Log subscription reported Win32 error ${status}`));
    }
  }

  private flush(): void {
    this.flushQueued = false;
    if (!this.batch.length || !this.sink) return;
    const batch = this.batch;
    this.batch = [];
    this.sink.push(batch);
  }

  /**
   * Close the subscriptions off the main thread: EvtClose waits for a callback in progress, and
   * that callback waits for the main thread (koffi runs it there), so a synchronous close could
   * deadlock.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      const api = this.api;
      if (api) {
        await Promise.all(this.subscriptions.splice(0).map((h) => new Promise<void>((resolve) => api.EvtClose.async(h, () => resolve()))));
      }
      this.flush();
      if (this.callback !== undefined && this.koffi) this.koffi.unregister(this.callback as never);
      this.callback = undefined;
      this.sink?.end();
    })();
    return this.stopped;
  }

  stats(): BackendStats {
    return { ...this.counters };
  }
}
