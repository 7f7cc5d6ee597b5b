/**
 * The `windows-minifilter` backend: a client of a vendor minifilter's communication port.
 * It connects (FilterConnectCommunicationPort), reads one message at a time with
 * FilterGetMessage on a koffi worker thread (the call blocks), decodes it by the edrkit
 * protocol (protocol.ts), and — when the minifilter waits for an answer — replies allow or deny
 * (FilterReplyMessage) with the verdict of the `verdict` function (allow when none is given).
 * Stop cancels the pending read (CancelIoEx) and closes the port.
 *
 * @module
 */
import { OBSERVABLE_KINDS, PermissionError, probeError, type Backend, type BackendProbe, type BackendStartOptions, type BackendStats, type EventDraft, type EventSink, type KindSupport, type ObservableKind } from '@edrkit/core';
import { bindFltlib, HRESULT_ACCESS_DENIED, HRESULT_FILE_NOT_FOUND, HRESULT_OPERATION_ABORTED, type Fltlib } from '../win32/fltlib/fltlib.js';
import { bindKernel32, type Kernel32 } from '../win32/kernel32/kernel32.js';
import { loadKoffi, type KoffiModule } from '../win32/koffi.js';
import { MinifilterError } from '../errors.js';
import { decodeFileMessage, VERDICT_ALLOW, VERDICT_DENY } from './protocol.js';
import { WindowsMinifilterOptionsSchema, type WindowsMinifilterOptions } from './options.js';

const ID = 'windows-minifilter';
const FILE_KINDS: readonly ObservableKind[] = ['file.create', 'file.modify', 'file.delete', 'file.rename', 'file.open'];
const HEADER = 16; // FILTER_MESSAGE_HEADER (x64)
const REPLY = 16 + 4; // FILTER_REPLY_HEADER + verdict

/** What a verdict function says about a file event the minifilter holds. */
export type Verdict = 'allow' | 'deny';

function kindsMap(support: (k: ObservableKind) => KindSupport): Record<ObservableKind, KindSupport> {
  return Object.fromEntries(OBSERVABLE_KINDS.map((k) => [k, support(k)])) as Record<ObservableKind, KindSupport>;
}

/** What `windows-minifilter` can do here. */
export async function probeWindowsMinifilter(options: WindowsMinifilterOptions): Promise<BackendProbe> {
  if (process.platform !== 'win32' && !options.library) {
    const reason = `runs on windows only (this is ${process.platform})`;
    return { id: ID, available: false, code: 'ERR_NOT_SUPPORTED', reason, kinds: kindsMap(() => ({ supported: false, reason })) };
  }
  const koffi = loadKoffi();
  if (koffi instanceof Error) return { id: ID, available: false, code: 'ERR_NATIVE_MISSING', reason: koffi.message, kinds: kindsMap(() => ({ supported: false, reason: koffi.message })) };
  try {
    bindFltlib(koffi, options.library ?? 'fltlib.dll');
  } catch (err) {
    const reason = `could not load ${options.library ?? 'fltlib.dll'} (${(err as Error).message})`;
    return { id: ID, available: false, code: 'ERR_NATIVE_MISSING', reason, kinds: kindsMap(() => ({ supported: false, reason })) };
  }
  return {
    id: ID,
    available: true,
    kinds: kindsMap((k) => (FILE_KINDS.includes(k) ? { supported: true, note: `from the minifilter on port ${options.port}` } : { supported: false, reason: 'a minifilter sees file-system operations only' })),
  };
}

/** A minifilter port client as an edrkit backend. One instance serves one sensor. */
export class WindowsMinifilterBackend implements Backend {
  readonly id = ID;
  readonly platform = 'windows' as const;
  private readonly options: WindowsMinifilterOptions;
  private koffi: KoffiModule | undefined;
  private api: Fltlib | undefined;
  private kernel32: Kernel32 | undefined;
  private port: unknown;
  private stopping = false;
  private running: Promise<void> | undefined;
  private readonly counters = { received: 0, lost: 0, malformed: 0, denied: 0, replies: 0 };

  /** `verdict` decides allow/deny for messages the minifilter waits on (default: allow). It must not throw; if it does, the file is allowed. */
  constructor(
    options: Partial<WindowsMinifilterOptions> = {},
    private readonly verdict?: (event: EventDraft) => Verdict,
  ) {
    this.options = WindowsMinifilterOptionsSchema.parse(options);
  }

  probe(): Promise<BackendProbe> {
    return probeWindowsMinifilter(this.options);
  }

  async start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    const probe = await this.probe();
    if (!probe.available) throw probeError(probe);
    const koffi = loadKoffi() as KoffiModule;
    this.koffi = koffi;
    this.api = bindFltlib(koffi, this.options.library ?? 'fltlib.dll');
    this.kernel32 = bindKernel32(koffi, this.options.library ?? 'kernel32.dll');
    const out: [unknown] = [null];
    const hr = this.api.FilterConnectCommunicationPort(this.options.port, 0, null, 0, null, out);
    if (hr === HRESULT_FILE_NOT_FOUND) throw new MinifilterError('ERR_MINIFILTER_PORT_NOT_FOUND', this.options.port, hr, `FilterConnectCommunicationPort(${this.options.port}): no such port — is the vendor minifilter loaded ('fltmc filters') and is this its port name?`);
    if (hr === HRESULT_ACCESS_DENIED) throw new PermissionError(`FilterConnectCommunicationPort(${this.options.port}): access denied — the port's security descriptor refuses this account (run elevated, or as the account the minifilter allows)`);
    if (hr !== 0) throw new MinifilterError('ERR_MINIFILTER_FAILED', this.options.port, hr, `FilterConnectCommunicationPort(${this.options.port}) failed with HRESULT 0x${(hr >>> 0).toString(16)}`);
    this.port = out[0];
    this.running = this.loop(sink);
    options.signal.addEventListener('abort', () => void this.stop(), { once: true });
  }

  private read(buf: Buffer): Promise<number> {
    return new Promise((resolve, reject) => this.api!.FilterGetMessage.async(this.port, buf, buf.length, null, (err: unknown, hr: number) => (err ? reject(err as Error) : resolve(hr))));
  }

  private async loop(sink: EventSink): Promise<void> {
    const buf = Buffer.alloc(this.options.maxMessageBytes);
    for (;;) {
      const hr = await this.read(buf);
      if (this.stopping || hr === HRESULT_OPERATION_ABORTED) break;
      if (hr !== 0) {
        sink.error(new MinifilterError('ERR_MINIFILTER_FAILED', this.options.port, hr, `FilterGetMessage(${this.options.port}) failed with HRESULT 0x${(hr >>> 0).toString(16)}`));
        return;
      }
      this.counters.received++;
      const replyLength = buf.readUInt32LE(0);
      const messageId = buf.readBigUInt64LE(8);
      let verdict: Verdict = 'allow';
      try {
        const event = decodeFileMessage(buf.subarray(HEADER));
        if (this.verdict) {
          try {
            verdict = this.verdict(event);
          } catch (err) {
            sink.warn(new Error(`windows-minifilter: the verdict function threw (${(err as Error).message}); the file was allowed`, { cause: err }));
          }
        }
        sink.push([event]);
      } catch (err) {
        this.counters.malformed++;
        sink.warn(err as Error);
        sink.lost(1, `undecodable minifilter message (${(err as Error).message})`, 'backend');
      }
      // The minifilter holds the operation until it has a reply (ReplyLength > 0): always answer.
      if (replyLength > 0) this.reply(messageId, verdict === 'deny' ? VERDICT_DENY : VERDICT_ALLOW, sink);
    }
    sink.end();
  }

  private reply(messageId: bigint, verdict: number, sink: EventSink): void {
    const reply = Buffer.alloc(REPLY);
    reply.writeInt32LE(0, 0);
    reply.writeBigUInt64LE(messageId, 8);
    reply.writeUInt32LE(verdict, 16);
    const hr = this.api!.FilterReplyMessage(this.port, reply, reply.length);
    if (hr !== 0) sink.warn(new MinifilterError('ERR_MINIFILTER_FAILED', this.options.port, hr, `FilterReplyMessage failed with HRESULT 0x${(hr >>> 0).toString(16)} (the minifilter applies its own timeout verdict)`));
    else {
      this.counters.replies++;
      if (verdict === VERDICT_DENY) this.counters.denied++;
    }
  }

  async stop(): Promise<void> {
    if (this.stopping) return this.running;
    this.stopping = true;
    if (this.port !== undefined && this.kernel32) {
      this.kernel32.CancelIoEx(this.port, null); // ends the pending FilterGetMessage
      await this.running;
      this.kernel32.CloseHandle(this.port);
      this.port = undefined;
    }
  }

  stats(): BackendStats {
    return { ...this.counters };
  }
}
