/**
 * advapi32.dll: ETW controller and consumer calls (evntrace.h, evntcons.h) with the exact
 * Win32 names and the x64 layouts of the Windows SDK. koffi is passed in, never imported here:
 * nothing native loads on other platforms unless a caller (a test with the stand-in library)
 * asks for it.
 *
 * @module
 */
import type * as Koffi from 'koffi';
import { win32Func, type CType, type KoffiModule } from '../koffi.js';
import { declareSharedTypes, type SharedTypes } from '../types.js';

/** `WNODE_HEADER.Flags`: the properties carry a GUID / are for a trace session (wmistr.h). */
export const WNODE_FLAG_TRACED_GUID = 0x0002_0000;
/** `EVENT_TRACE_PROPERTIES.LogFileMode`: deliver events to real-time consumers. */
export const EVENT_TRACE_REAL_TIME_MODE = 0x0000_0100;
/** `EVENT_TRACE_PROPERTIES.LogFileMode`: keep working on a system with many processors without per-CPU buffers growth. */
export const EVENT_TRACE_NO_PER_PROCESSOR_BUFFERING = 0x1000_0000;
/** `EVENT_TRACE_PROPERTIES.Wnode.ClientContext`: timestamps as QueryPerformanceCounter (1), system time (2), CPU cycles (3). */
export const WNODE_CLIENT_CONTEXT_SYSTEM_TIME = 2;

/** ControlTraceW codes. */
export const EVENT_TRACE_CONTROL_QUERY = 0;
export const EVENT_TRACE_CONTROL_STOP = 1;
export const EVENT_TRACE_CONTROL_UPDATE = 2;
export const EVENT_TRACE_CONTROL_FLUSH = 3;

/** EnableTraceEx2 codes. */
export const EVENT_CONTROL_CODE_DISABLE_PROVIDER = 0;
export const EVENT_CONTROL_CODE_ENABLE_PROVIDER = 1;
export const EVENT_CONTROL_CODE_CAPTURE_STATE = 2;

/** ENABLE_TRACE_PARAMETERS.Version. */
export const ENABLE_TRACE_PARAMETERS_VERSION_2 = 2;
/** ENABLE_TRACE_PARAMETERS.EnableProperty bits. */
export const EVENT_ENABLE_PROPERTY_SID = 0x0001;
export const EVENT_ENABLE_PROPERTY_PROCESS_START_KEY = 0x0080;

/** Trace levels (evntrace.h). */
export const TRACE_LEVEL_INFORMATION = 4;
export const TRACE_LEVEL_VERBOSE = 5;

/** EVENT_TRACE_LOGFILEW.ProcessTraceMode bits. */
export const PROCESS_TRACE_MODE_REAL_TIME = 0x0000_0100;
export const PROCESS_TRACE_MODE_RAW_TIMESTAMP = 0x0000_1000;
export const PROCESS_TRACE_MODE_EVENT_RECORD = 0x1000_0000;

/** OpenTraceW's failure value. */
export const INVALID_PROCESSTRACE_HANDLE = 0xffff_ffff_ffff_ffffn;

/** EVENT_HEADER.Flags bits (evntcons.h). */
export const EVENT_HEADER_FLAG_EXTENDED_INFO = 0x0001;
export const EVENT_HEADER_FLAG_STRING_ONLY = 0x0004;
export const EVENT_HEADER_FLAG_32_BIT_HEADER = 0x0020;
export const EVENT_HEADER_FLAG_64_BIT_HEADER = 0x0040;

/** The advapi32 ETW struct types. */
export interface EvntraceTypes extends SharedTypes {
  WNODE_HEADER: CType;
  EVENT_TRACE_PROPERTIES: CType;
  EVENT_TRACE_HEADER: CType;
  EVENT_TRACE: CType;
  TIME_ZONE_INFORMATION: CType;
  TRACE_LOGFILE_HEADER: CType;
  EVENT_TRACE_LOGFILEW: CType;
  ETW_BUFFER_CONTEXT: CType;
  EVENT_HEADER: CType;
  EVENT_HEADER_EXTENDED_DATA_ITEM: CType;
  EVENT_RECORD: CType;
  EVENT_FILTER_DESCRIPTOR: CType;
  ENABLE_TRACE_PARAMETERS: CType;
  /** `VOID WINAPI EVENT_RECORD_CALLBACK(PEVENT_RECORD)`, as a koffi prototype. */
  PEVENT_RECORD_CALLBACK: CType;
  /** `ULONG WINAPI EVENT_TRACE_BUFFER_CALLBACKW(PEVENT_TRACE_LOGFILEW)`. */
  PEVENT_TRACE_BUFFER_CALLBACKW: CType;
}

/**
 * Declare the struct types. Unions are declared as koffi unions so sizes and offsets follow
 * the C rules; the anonymous unions of the SDK headers get the name of their first member.
 */
export function declareEvntraceTypes(koffi: KoffiModule): EvntraceTypes {
  // The callback prototypes have global koffi names: declare once per koffi instance.
  let types = declared.get(koffi);
  if (!types) declared.set(koffi, (types = declare(koffi)));
  return types;
}

const declared = new WeakMap<KoffiModule, EvntraceTypes>();

function declare(koffi: KoffiModule): EvntraceTypes {
  const shared = declareSharedTypes(koffi);
  const { GUID, EVENT_DESCRIPTOR } = shared;
  const WNODE_HEADER = koffi.struct({
    BufferSize: 'uint32',
    ProviderId: 'uint32',
    HistoricalContext: koffi.union({ HistoricalContext: 'uint64', Version: 'uint32' }),
    TimeStamp: koffi.union({ TimeStamp: 'int64', CountLost: 'uint32', KernelHandle: 'void *' }),
    Guid: GUID,
    ClientContext: 'uint32',
    Flags: 'uint32',
  });
  const EVENT_TRACE_PROPERTIES = koffi.struct({
    Wnode: WNODE_HEADER,
    BufferSize: 'uint32',
    MinimumBuffers: 'uint32',
    MaximumBuffers: 'uint32',
    MaximumFileSize: 'uint32',
    LogFileMode: 'uint32',
    FlushTimer: 'uint32',
    EnableFlags: 'uint32',
    AgeLimit: 'int32',
    NumberOfBuffers: 'uint32',
    FreeBuffers: 'uint32',
    EventsLost: 'uint32',
    BuffersWritten: 'uint32',
    LogBuffersLost: 'uint32',
    RealTimeBuffersLost: 'uint32',
    LoggerThreadId: 'void *',
    LogFileNameOffset: 'uint32',
    LoggerNameOffset: 'uint32',
  });
  const EVENT_TRACE_HEADER = koffi.struct({
    Size: 'uint16',
    FieldTypeFlags: koffi.union({ FieldTypeFlags: 'uint16', Header: koffi.struct({ HeaderType: 'uint8', MarkerFlags: 'uint8' }) }),
    Version: koffi.union({ Version: 'uint32', Class: koffi.struct({ Type: 'uint8', Level: 'uint8', Version: 'uint16' }) }),
    ThreadId: 'uint32',
    ProcessId: 'uint32',
    TimeStamp: 'int64',
    Guid: koffi.union({ Guid: GUID, GuidPtr: 'uint64' }),
    KernelTime: koffi.union({
      Times: koffi.struct({ KernelTime: 'uint32', UserTime: 'uint32' }),
      ProcessorTime: 'uint64',
      Context: koffi.struct({ ClientContext: 'uint32', Flags: 'uint32' }),
    }),
  });
  const ETW_BUFFER_CONTEXT = koffi.struct({
    ProcessorNumber: koffi.union({ Processor: koffi.struct({ ProcessorNumber: 'uint8', Alignment: 'uint8' }), ProcessorIndex: 'uint16' }),
    LoggerId: 'uint16',
  });
  const EVENT_TRACE = koffi.struct({
    Header: EVENT_TRACE_HEADER,
    InstanceId: 'uint32',
    ParentInstanceId: 'uint32',
    ParentGuid: GUID,
    MofData: 'void *',
    MofLength: 'uint32',
    ClientContext: koffi.union({ ClientContext: 'uint32', BufferContext: ETW_BUFFER_CONTEXT }),
  });
  const SYSTEMTIME = koffi.struct({ wYear: 'uint16', wMonth: 'uint16', wDayOfWeek: 'uint16', wDay: 'uint16', wHour: 'uint16', wMinute: 'uint16', wSecond: 'uint16', wMilliseconds: 'uint16' });
  const TIME_ZONE_INFORMATION = koffi.struct({
    Bias: 'int32',
    StandardName: koffi.array('uint16', 32),
    StandardDate: SYSTEMTIME,
    StandardBias: 'int32',
    DaylightName: koffi.array('uint16', 32),
    DaylightDate: SYSTEMTIME,
    DaylightBias: 'int32',
  });
  const TRACE_LOGFILE_HEADER = koffi.struct({
    BufferSize: 'uint32',
    VersionDetail: koffi.union({ Version: 'uint32', VersionDetail: koffi.struct({ MajorVersion: 'uint8', MinorVersion: 'uint8', SubVersion: 'uint8', SubMinorVersion: 'uint8' }) }),
    ProviderVersion: 'uint32',
    NumberOfProcessors: 'uint32',
    EndTime: 'int64',
    TimerResolution: 'uint32',
    MaximumFileSize: 'uint32',
    LogFileMode: 'uint32',
    BuffersWritten: 'uint32',
    LogInstanceGuid: koffi.union({
      LogInstanceGuid: GUID,
      Counts: koffi.struct({ StartBuffers: 'uint32', PointerSize: 'uint32', EventsLost: 'uint32', CpuSpeedInMHz: 'uint32' }),
    }),
    LoggerName: 'void *',
    LogFileName: 'void *',
    TimeZone: TIME_ZONE_INFORMATION,
    BootTime: 'int64',
    PerfFreq: 'int64',
    StartTime: 'int64',
    ReservedFlags: 'uint32',
    BuffersLost: 'uint32',
  });
  const EVENT_HEADER = koffi.struct({
    Size: 'uint16',
    HeaderType: 'uint16',
    Flags: 'uint16',
    EventProperty: 'uint16',
    ThreadId: 'uint32',
    ProcessId: 'uint32',
    TimeStamp: 'int64',
    ProviderId: GUID,
    EventDescriptor: EVENT_DESCRIPTOR,
    KernelTime: koffi.union({ Times: koffi.struct({ KernelTime: 'uint32', UserTime: 'uint32' }), ProcessorTime: 'uint64' }),
    ActivityId: GUID,
  });
  const EVENT_HEADER_EXTENDED_DATA_ITEM = koffi.struct({ Reserved1: 'uint16', ExtType: 'uint16', Linkage: 'uint16', DataSize: 'uint16', DataPtr: 'uint64' });
  const EVENT_RECORD = koffi.struct({
    EventHeader: EVENT_HEADER,
    BufferContext: ETW_BUFFER_CONTEXT,
    ExtendedDataCount: 'uint16',
    UserDataLength: 'uint16',
    ExtendedData: 'void *',
    UserData: 'void *',
    UserContext: 'void *',
  });
  const PEVENT_RECORD_CALLBACK = koffi.pointer(koffi.proto('__stdcall', 'EVENT_RECORD_CALLBACK', 'void', ['void *']));
  const PEVENT_TRACE_BUFFER_CALLBACKW = koffi.pointer(koffi.proto('__stdcall', 'EVENT_TRACE_BUFFER_CALLBACKW', 'uint32', ['void *']));
  // LogFileName / LoggerName are LPWSTR: declared as UTF-16 strings so a JS string can be passed.
  const EVENT_TRACE_LOGFILEW = koffi.struct({
    LogFileName: 'str16',
    LoggerName: 'str16',
    CurrentTime: 'int64',
    BuffersRead: 'uint32',
    ProcessTraceMode: koffi.union({ LogFileMode: 'uint32', ProcessTraceMode: 'uint32' }),
    CurrentEvent: EVENT_TRACE,
    LogfileHeader: TRACE_LOGFILE_HEADER,
    BufferCallback: PEVENT_TRACE_BUFFER_CALLBACKW,
    BufferSize: 'uint32',
    Filled: 'uint32',
    EventsLost: 'uint32',
    EventRecordCallback: koffi.union({ EventCallback: 'void *', EventRecordCallback: PEVENT_RECORD_CALLBACK }),
    IsKernelTrace: 'uint32',
    Context: 'void *',
  });
  const EVENT_FILTER_DESCRIPTOR = koffi.struct({ Ptr: 'uint64', Size: 'uint32', Type: 'uint32' });
  const ENABLE_TRACE_PARAMETERS = koffi.struct({
    Version: 'uint32',
    EnableProperty: 'uint32',
    ControlFlags: 'uint32',
    SourceId: GUID,
    EnableFilterDesc: 'void *',
    FilterDescCount: 'uint32',
  });
  return {
    ...shared,
    WNODE_HEADER,
    EVENT_TRACE_PROPERTIES,
    EVENT_TRACE_HEADER,
    EVENT_TRACE,
    TIME_ZONE_INFORMATION,
    TRACE_LOGFILE_HEADER,
    EVENT_TRACE_LOGFILEW,
    ETW_BUFFER_CONTEXT,
    EVENT_HEADER,
    EVENT_HEADER_EXTENDED_DATA_ITEM,
    EVENT_RECORD,
    EVENT_FILTER_DESCRIPTOR,
    ENABLE_TRACE_PARAMETERS,
    PEVENT_RECORD_CALLBACK,
    PEVENT_TRACE_BUFFER_CALLBACKW,
  };
}

/** A TRACEHANDLE as koffi returns a uint64: a number when it fits, else a bigint. */
export type TRACEHANDLE = number | bigint;

/** The advapi32 ETW functions. Status results are Win32 error codes (0 = ERROR_SUCCESS). */
export interface Advapi32Etw {
  types: EvntraceTypes;
  /** `ULONG StartTraceW(PTRACEHANDLE, LPCWSTR, PEVENT_TRACE_PROPERTIES)`; the handle is written to `handle[0]`. */
  StartTraceW(handle: [TRACEHANDLE], instanceName: string, properties: Buffer): number;
  /** `ULONG ControlTraceW(TRACEHANDLE, LPCWSTR, PEVENT_TRACE_PROPERTIES, ULONG)`; handle 0 with a name addresses a session by name. */
  ControlTraceW(handle: TRACEHANDLE, instanceName: string | null, properties: Buffer, controlCode: number): number;
  /** `ULONG EnableTraceEx2(TRACEHANDLE, LPCGUID, ULONG, UCHAR, ULONGLONG, ULONGLONG, ULONG, PENABLE_TRACE_PARAMETERS)`. */
  EnableTraceEx2(handle: TRACEHANDLE, providerId: unknown, controlCode: number, level: number, matchAnyKeyword: bigint | number, matchAllKeyword: bigint | number, timeout: number, parameters: unknown): number;
  /** `TRACEHANDLE OpenTraceW(PEVENT_TRACE_LOGFILEW)`: {@link INVALID_PROCESSTRACE_HANDLE} on failure. */
  OpenTraceW(logfile: Record<string, unknown>): TRACEHANDLE;
  /** `ULONG ProcessTrace(PTRACEHANDLE, ULONG, LPFILETIME, LPFILETIME)`: blocks until the session stops, so it is called with `.async`. */
  ProcessTrace: Koffi.KoffiFunction;
  /** `ULONG CloseTrace(TRACEHANDLE)`. */
  CloseTrace(handle: TRACEHANDLE): number;
}

/** Load `library` (`advapi32.dll`, or a stand-in in tests) and bind the ETW functions. */
export function bindAdvapi32Etw(koffi: KoffiModule, library = 'advapi32.dll'): Advapi32Etw {
  const types = declareEvntraceTypes(koffi);
  const lib = koffi.load(library);
  return {
    types,
    StartTraceW: win32Func(lib, 'StartTraceW', 'uint32', [koffi.out(koffi.pointer('uint64')), 'str16', 'void *']) as Advapi32Etw['StartTraceW'],
    ControlTraceW: win32Func(lib, 'ControlTraceW', 'uint32', ['uint64', 'str16', 'void *', 'uint32']) as Advapi32Etw['ControlTraceW'],
    EnableTraceEx2: win32Func(lib, 'EnableTraceEx2', 'uint32', ['uint64', koffi.pointer(types.GUID), 'uint32', 'uint8', 'uint64', 'uint64', 'uint32', koffi.pointer(types.ENABLE_TRACE_PARAMETERS)]) as Advapi32Etw['EnableTraceEx2'],
    OpenTraceW: win32Func(lib, 'OpenTraceW', 'uint64', [koffi.pointer(types.EVENT_TRACE_LOGFILEW)]) as Advapi32Etw['OpenTraceW'],
    ProcessTrace: win32Func(lib, 'ProcessTrace', 'uint32', [koffi.pointer('uint64'), 'uint32', 'void *', 'void *']),
    CloseTrace: win32Func(lib, 'CloseTrace', 'uint32', ['uint64']) as Advapi32Etw['CloseTrace'],
  };
}
