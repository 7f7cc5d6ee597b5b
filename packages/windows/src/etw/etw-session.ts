/**
 * One real-time ETW session through the advapi32 bindings, in the documented order:
 * StartTraceW (a stale session of the same name is stopped first and the start retried),
 * EnableTraceEx2 per provider, OpenTraceW with a record callback, ProcessTrace on a koffi
 * worker thread (it blocks until the session stops), ControlTraceW QUERY for loss counters,
 * and ControlTraceW STOP + CloseTrace to end. Every failure is an {@link EtwError} that names
 * the fix.
 *
 * @module
 */
import { PermissionError } from '@edrkit/core';
import {
  ENABLE_TRACE_PARAMETERS_VERSION_2,
  EVENT_CONTROL_CODE_ENABLE_PROVIDER,
  EVENT_HEADER_FLAG_32_BIT_HEADER,
  EVENT_TRACE_CONTROL_QUERY,
  EVENT_TRACE_CONTROL_STOP,
  EVENT_TRACE_REAL_TIME_MODE,
  INVALID_PROCESSTRACE_HANDLE,
  PROCESS_TRACE_MODE_EVENT_RECORD,
  PROCESS_TRACE_MODE_REAL_TIME,
  TRACE_LEVEL_VERBOSE,
  WNODE_CLIENT_CONTEXT_SYSTEM_TIME,
  WNODE_FLAG_TRACED_GUID,
  type Advapi32Etw,
  type TRACEHANDLE,
} from '../win32/advapi32/evntrace.js';
import type { KoffiModule } from '../win32/koffi.js';
import { ERROR_ACCESS_DENIED, ERROR_ALREADY_EXISTS, ERROR_CANCELLED, ERROR_NO_SYSTEM_RESOURCES, ERROR_SUCCESS, ERROR_WMI_INSTANCE_NOT_FOUND, filetimeToMs, formatGuid, parseGuid } from '../win32/types.js';
import { EtwError } from '../errors.js';
import type { EtwRecord } from './etw-record.js';
import type { ProviderEnable } from './providers.js';

/** Offsets in EVENT_RECORD (x64; the layout test pins them). */
const REC = { flags: 4, tid: 8, pid: 12, timeStamp: 16, providerId: 24, id: 40, version: 42, opcode: 45, userDataLength: 86, userData: 96, size: 112 } as const;

/** Loss counters of the session (ControlTraceW QUERY). */
export interface SessionLoss {
  eventsLost: number;
  realTimeBuffersLost: number;
}

/** Session settings. */
export interface EtwSessionOptions {
  /** Session name (`edrkit-…`); a stopped-but-not-closed session of that name is ours and is stopped. */
  name: string;
  /** Buffer size, KiB. */
  bufferKb: number;
  /** Buffers at least / at most. */
  minBuffers: number;
  maxBuffers: number;
}

function permission(call: string): PermissionError {
  return new PermissionError(`${call}: access denied — run edrkit elevated (as Administrator) or as a member of the Performance Log Users group`);
}

function failed(call: string, status: number, what: string): EtwError {
  return new EtwError('ERR_ETW_FAILED', call, status, `${call} failed with Win32 error ${status}: ${what}`);
}

/** A real-time session. start() → run() (resolves when ProcessTrace returns) → stop(). */
export class EtwSession {
  private handle: TRACEHANDLE | undefined;
  private trace: TRACEHANDLE | undefined;
  private callback: unknown;
  private readonly propsSize: number;

  constructor(
    private readonly koffi: KoffiModule,
    private readonly api: Advapi32Etw,
    private readonly options: EtwSessionOptions,
  ) {
    this.propsSize = koffi.sizeof(api.types.EVENT_TRACE_PROPERTIES);
  }

  /** An EVENT_TRACE_PROPERTIES with room for the session name after it (where LoggerNameOffset points). */
  private properties(): Buffer {
    const nameBytes = (this.options.name.length + 1) * 2;
    const buf = Buffer.alloc(this.propsSize + nameBytes + 2048); // room for a log file name the OS may write back
    this.koffi.encode(buf, 0, this.api.types.EVENT_TRACE_PROPERTIES, {
      Wnode: { BufferSize: buf.length, Flags: WNODE_FLAG_TRACED_GUID, ClientContext: WNODE_CLIENT_CONTEXT_SYSTEM_TIME, Guid: { Data1: 0, Data2: 0, Data3: 0, Data4: [0, 0, 0, 0, 0, 0, 0, 0] } },
      BufferSize: this.options.bufferKb,
      MinimumBuffers: this.options.minBuffers,
      MaximumBuffers: this.options.maxBuffers,
      LogFileMode: EVENT_TRACE_REAL_TIME_MODE,
      FlushTimer: 1,
      LoggerNameOffset: this.propsSize,
    });
    return buf;
  }

  /** StartTraceW, stopping a stale session of the same name once. */
  start(): void {
    for (let attempt = 0; ; attempt++) {
      const out: [TRACEHANDLE] = [0];
      const status = this.api.StartTraceW(out, this.options.name, this.properties());
      if (status === ERROR_SUCCESS) {
        this.handle = out[0];
        return;
      }
      if (status === ERROR_ALREADY_EXISTS && attempt === 0) {
        // A session of our name outlived its process (a crash): ours by name, so stop it and retry.
        const stop = this.api.ControlTraceW(0, this.options.name, this.properties(), EVENT_TRACE_CONTROL_STOP);
        if (stop !== ERROR_SUCCESS && stop !== ERROR_WMI_INSTANCE_NOT_FOUND) throw failed('ControlTraceW(STOP stale session)', stop, `could not stop the stale session ${this.options.name}; stop it with 'logman stop ${this.options.name} -ets'`);
        continue;
      }
      if (status === ERROR_ACCESS_DENIED) throw permission('StartTraceW');
      if (status === ERROR_NO_SYSTEM_RESOURCES) {
        throw new EtwError('ERR_ETW_SESSION_LIMIT', 'StartTraceW', status, "StartTraceW: this host's ETW sessions are all in use (64 at most): list them with 'logman query -ets' and stop one with 'logman stop NAME -ets'");
      }
      throw failed('StartTraceW', status, `could not start session ${this.options.name}`);
    }
  }

  /** EnableTraceEx2 for one provider. */
  enable(provider: ProviderEnable): void {
    const params = { Version: ENABLE_TRACE_PARAMETERS_VERSION_2, EnableProperty: 0, ControlFlags: 0, SourceId: parseGuid('00000000-0000-0000-0000-000000000000'), EnableFilterDesc: null, FilterDescCount: 0 };
    const status = this.api.EnableTraceEx2(this.handle!, parseGuid(provider.guid), EVENT_CONTROL_CODE_ENABLE_PROVIDER, TRACE_LEVEL_VERBOSE, provider.keywords, 0n, 0, params);
    if (status === ERROR_SUCCESS) return;
    if (status === ERROR_ACCESS_DENIED) throw permission(`EnableTraceEx2(${provider.name})`);
    if (status === ERROR_NO_SYSTEM_RESOURCES) throw new EtwError('ERR_ETW_SESSION_LIMIT', 'EnableTraceEx2', status, `EnableTraceEx2(${provider.name}): the provider is enabled in the most sessions it allows (8); stop another session that uses it`);
    throw new EtwError('ERR_ETW_PROVIDER_MISSING', 'EnableTraceEx2', status, `EnableTraceEx2(${provider.name} {${provider.guid}}) failed with Win32 error ${status}: the provider is missing or disabled on this Windows ('logman query providers "${provider.name}"' lists it when it is registered)`);
  }

  /**
   * OpenTraceW + ProcessTrace on a worker thread. `onRecord` runs on the main thread for each
   * event (koffi queues calls from the worker thread) with a copy of what edrkit uses; it must
   * return quickly, the OS buffer is lent only for the call. Resolves with ProcessTrace's status.
   */
  run(onRecord: (r: EtwRecord) => void): Promise<number> {
    const { koffi, api } = this;
    const { types } = api;
    const u8 = (n: number) => koffi.array('uint8', n);
    this.callback = koffi.register((recordPtr: unknown) => {
      // Copy the header and the payload out of the OS buffer, then return.
      const h = koffi.decode(recordPtr, u8(REC.size)) as Uint8Array;
      const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
      const length = v.getUint16(REC.userDataLength, true);
      const userData = length ? (koffi.decode(koffi.decode(recordPtr, REC.userData, 'void *'), u8(length)) as Uint8Array) : new Uint8Array(0);
      onRecord({
        providerId: formatGuid(h, REC.providerId),
        id: v.getUint16(REC.id, true),
        version: h[REC.version]!,
        opcode: h[REC.opcode]!,
        pid: v.getUint32(REC.pid, true),
        tid: v.getUint32(REC.tid, true),
        time: filetimeToMs(v.getBigUint64(REC.timeStamp, true)) ?? 0,
        pointerSize: v.getUint16(REC.flags, true) & EVENT_HEADER_FLAG_32_BIT_HEADER ? 4 : 8,
        userData,
      });
    }, types.PEVENT_RECORD_CALLBACK);
    const trace = api.OpenTraceW({
      LoggerName: this.options.name,
      ProcessTraceMode: { ProcessTraceMode: PROCESS_TRACE_MODE_REAL_TIME | PROCESS_TRACE_MODE_EVENT_RECORD },
      EventRecordCallback: { EventRecordCallback: this.callback },
    });
    if (BigInt(trace) === INVALID_PROCESSTRACE_HANDLE) {
      this.release();
      return Promise.reject(failed('OpenTraceW', -1, `could not open the real-time session ${this.options.name}`));
    }
    this.trace = trace;
    return new Promise((resolve, reject) => {
      api.ProcessTrace.async([trace], 1, null, null, (err: unknown, status: number) => {
        this.release();
        if (err) reject(err as Error);
        else resolve(status);
      });
    });
  }

  /** The session's loss counters (ControlTraceW QUERY). */
  query(): SessionLoss | undefined {
    if (this.handle === undefined) return undefined;
    const buf = this.properties();
    if (this.api.ControlTraceW(this.handle, null, buf, EVENT_TRACE_CONTROL_QUERY) !== ERROR_SUCCESS) return undefined;
    const props = this.koffi.decode(buf, this.api.types.EVENT_TRACE_PROPERTIES) as { EventsLost: number; RealTimeBuffersLost: number };
    return { eventsLost: props.EventsLost, realTimeBuffersLost: props.RealTimeBuffersLost };
  }

  /** Stop the session (ProcessTrace then returns) and close the consumer handle. Idempotent. */
  stop(): SessionLoss | undefined {
    let loss: SessionLoss | undefined;
    if (this.handle !== undefined) {
      const buf = this.properties();
      const status = this.api.ControlTraceW(this.handle, null, buf, EVENT_TRACE_CONTROL_STOP);
      if (status === ERROR_SUCCESS) {
        const props = this.koffi.decode(buf, this.api.types.EVENT_TRACE_PROPERTIES) as { EventsLost: number; RealTimeBuffersLost: number };
        loss = { eventsLost: props.EventsLost, realTimeBuffersLost: props.RealTimeBuffersLost };
      }
      this.handle = undefined;
    }
    if (this.trace !== undefined) {
      const status = this.api.CloseTrace(this.trace);
      // ERROR_CTX_CLOSE_PENDING: ProcessTrace still drains buffered events; it returns soon.
      void (status === ERROR_SUCCESS || status === ERROR_CANCELLED);
      this.trace = undefined;
    }
    return loss;
  }

  private release(): void {
    if (this.callback !== undefined) {
      this.koffi.unregister(this.callback as never);
      this.callback = undefined;
    }
  }
}
