/**
 * Struct sizes and field offsets equal the x64 values of the Windows SDK headers (evntrace.h,
 * evntcons.h, relogger.h, tdh.h, winevt.h, fltuserstructures.h, guiddef.h). koffi computes
 * layouts by the C rules on any OS, so this runs on Linux x64; each value below is what
 * `sizeof` / `offsetof` give with MSVC for x64.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { declareEvntraceTypes } from './advapi32/evntrace.js';
import { declareFltlibTypes } from './fltlib/fltlib.js';
import type { CType, KoffiModule } from './koffi.js';
import { declareTdhTypes } from './tdh/tdh.js';
import { declareWevtapiTypes } from './wevtapi/wevtapi.js';

const koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
const x64 = process.arch === 'x64' || process.arch === 'arm64';

function layout(type: CType, fields: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(fields).map((f) => [f, f === 'sizeof' ? koffi.sizeof(type) : koffi.offsetof(type, f)]));
}

const EXPECTED: Record<string, Record<string, number>> = {
  GUID: { sizeof: 16, Data2: 4, Data3: 6, Data4: 8 },
  EVENT_DESCRIPTOR: { sizeof: 16, Version: 2, Channel: 3, Level: 4, Opcode: 5, Task: 6, Keyword: 8 },
  WNODE_HEADER: { sizeof: 48, BufferSize: 0, ProviderId: 4, HistoricalContext: 8, TimeStamp: 16, Guid: 24, ClientContext: 40, Flags: 44 },
  EVENT_TRACE_PROPERTIES: { sizeof: 120, Wnode: 0, BufferSize: 48, MinimumBuffers: 52, MaximumBuffers: 56, MaximumFileSize: 60, LogFileMode: 64, FlushTimer: 68, EnableFlags: 72, AgeLimit: 76, NumberOfBuffers: 80, FreeBuffers: 84, EventsLost: 88, BuffersWritten: 92, LogBuffersLost: 96, RealTimeBuffersLost: 100, LoggerThreadId: 104, LogFileNameOffset: 112, LoggerNameOffset: 116 },
  EVENT_TRACE_HEADER: { sizeof: 48, Size: 0, FieldTypeFlags: 2, Version: 4, ThreadId: 8, ProcessId: 12, TimeStamp: 16, Guid: 24, KernelTime: 40 },
  EVENT_TRACE: { sizeof: 88, Header: 0, InstanceId: 48, ParentInstanceId: 52, ParentGuid: 56, MofData: 72, MofLength: 80, ClientContext: 84 },
  TIME_ZONE_INFORMATION: { sizeof: 172, Bias: 0, StandardName: 4, StandardDate: 68, StandardBias: 84, DaylightName: 88, DaylightDate: 152, DaylightBias: 168 },
  TRACE_LOGFILE_HEADER: { sizeof: 280, BufferSize: 0, VersionDetail: 4, ProviderVersion: 8, NumberOfProcessors: 12, EndTime: 16, TimerResolution: 24, MaximumFileSize: 28, LogFileMode: 32, BuffersWritten: 36, LogInstanceGuid: 40, LoggerName: 56, LogFileName: 64, TimeZone: 72, BootTime: 248, PerfFreq: 256, StartTime: 264, ReservedFlags: 272, BuffersLost: 276 },
  EVENT_TRACE_LOGFILEW: { sizeof: 448, LogFileName: 0, LoggerName: 8, CurrentTime: 16, BuffersRead: 24, ProcessTraceMode: 28, CurrentEvent: 32, LogfileHeader: 120, BufferCallback: 400, BufferSize: 408, Filled: 412, EventsLost: 416, EventRecordCallback: 424, IsKernelTrace: 432, Context: 440 },
  ETW_BUFFER_CONTEXT: { sizeof: 4, ProcessorNumber: 0, LoggerId: 2 },
  EVENT_HEADER: { sizeof: 80, Size: 0, HeaderType: 2, Flags: 4, EventProperty: 6, ThreadId: 8, ProcessId: 12, TimeStamp: 16, ProviderId: 24, EventDescriptor: 40, KernelTime: 56, ActivityId: 64 },
  EVENT_HEADER_EXTENDED_DATA_ITEM: { sizeof: 16, ExtType: 2, DataSize: 6, DataPtr: 8 },
  EVENT_RECORD: { sizeof: 112, EventHeader: 0, BufferContext: 80, ExtendedDataCount: 84, UserDataLength: 86, ExtendedData: 88, UserData: 96, UserContext: 104 },
  EVENT_FILTER_DESCRIPTOR: { sizeof: 16, Ptr: 0, Size: 8, Type: 12 },
  ENABLE_TRACE_PARAMETERS: { sizeof: 48, Version: 0, EnableProperty: 4, ControlFlags: 8, SourceId: 12, EnableFilterDesc: 32, FilterDescCount: 40 },
  EVENT_PROPERTY_INFO: { sizeof: 24, Flags: 0, NameOffset: 4, nonStructType: 8, count: 16, length: 18, Reserved: 20 },
  TRACE_EVENT_INFO: { sizeof: 136, ProviderGuid: 0, EventGuid: 16, EventDescriptor: 32, DecodingSource: 48, ProviderNameOffset: 52, TaskNameOffset: 68, EventMessageOffset: 76, BinaryXMLOffset: 84, EventNameOffset: 92, EventAttributesOffset: 96, PropertyCount: 100, TopLevelPropertyCount: 104, Flags: 108, EventPropertyInfoArray: 112 },
  PROPERTY_DATA_DESCRIPTOR: { sizeof: 16, PropertyName: 0, ArrayIndex: 8, Reserved: 12 },
  TDH_CONTEXT: { sizeof: 16, ParameterValue: 0, ParameterType: 8, ParameterSize: 12 },
  EVT_VARIANT: { sizeof: 16, Value: 0, Count: 8, Type: 12 },
  FILTER_MESSAGE_HEADER: { sizeof: 16, ReplyLength: 0, MessageId: 8 },
  FILTER_REPLY_HEADER: { sizeof: 16, Status: 0, MessageId: 8 },
};

describe.skipIf(!x64)('Win32 struct layouts (x64)', () => {
  const types: Record<string, CType> = { ...declareEvntraceTypes(koffi), ...declareTdhTypes(koffi), ...declareWevtapiTypes(koffi), ...declareFltlibTypes(koffi) } as unknown as Record<string, CType>;
  for (const [name, fields] of Object.entries(EXPECTED)) {
    it(`${name}: sizeof ${fields['sizeof']}`, () => {
      expect(types[name], name).toBeDefined();
      expect(layout(types[name]!, fields)).toEqual(fields);
    });
  }
});
