/**
 * tdh.dll: the Trace Data Helper, which describes an event's payload from the provider's
 * manifest (tdh.h). The `windows-etw` backend decodes from templates checked against the
 * manifests (etw/templates.ts) and does not call TDH yet: a version without a template is
 * counted (`unknownVersions`), not decoded. These bindings are for decoding such events later.
 *
 * @module
 */
import { win32Func, type CType, type KoffiModule } from '../koffi.js';
import { declareSharedTypes } from '../types.js';

/** DECODING_SOURCE values. */
export const DecodingSourceXMLFile = 0;
export const DecodingSourceWbem = 1;
export const DecodingSourceWPP = 2;
export const DecodingSourceTlg = 3;

/** PROPERTY_FLAGS bits of EVENT_PROPERTY_INFO.Flags. */
export const PropertyStruct = 0x1;
export const PropertyParamLength = 0x2;
export const PropertyParamCount = 0x4;

/** TDH_IN_TYPE values edrkit reads (tdh.h). */
export const TDH_INTYPE_UNICODESTRING = 1;
export const TDH_INTYPE_ANSISTRING = 2;
export const TDH_INTYPE_INT8 = 3;
export const TDH_INTYPE_UINT8 = 4;
export const TDH_INTYPE_INT16 = 5;
export const TDH_INTYPE_UINT16 = 6;
export const TDH_INTYPE_INT32 = 7;
export const TDH_INTYPE_UINT32 = 8;
export const TDH_INTYPE_INT64 = 9;
export const TDH_INTYPE_UINT64 = 10;
export const TDH_INTYPE_BOOLEAN = 13;
export const TDH_INTYPE_BINARY = 14;
export const TDH_INTYPE_GUID = 15;
export const TDH_INTYPE_POINTER = 16;
export const TDH_INTYPE_FILETIME = 17;
export const TDH_INTYPE_SID = 19;
export const TDH_INTYPE_HEXINT32 = 20;
export const TDH_INTYPE_HEXINT64 = 21;

/** The TDH struct types. */
export interface TdhTypes {
  TRACE_EVENT_INFO: CType;
  EVENT_PROPERTY_INFO: CType;
  PROPERTY_DATA_DESCRIPTOR: CType;
  TDH_CONTEXT: CType;
}

/** Declare the TDH structs (x64: TRACE_EVENT_INFO 136 with one property, EVENT_PROPERTY_INFO 24, PROPERTY_DATA_DESCRIPTOR 16, TDH_CONTEXT 16). */
export function declareTdhTypes(koffi: KoffiModule): TdhTypes {
  const { GUID, EVENT_DESCRIPTOR } = declareSharedTypes(koffi);
  const EVENT_PROPERTY_INFO = koffi.struct({
    Flags: 'uint32',
    NameOffset: 'uint32',
    nonStructType: koffi.union({
      nonStructType: koffi.struct({ InType: 'uint16', OutType: 'uint16', MapNameOffset: 'uint32' }),
      structType: koffi.struct({ StructStartIndex: 'uint16', NumOfStructMembers: 'uint16', padding: 'uint32' }),
      customSchemaType: koffi.struct({ InType: 'uint16', OutType: 'uint16', CustomSchemaOffset: 'uint32' }),
    }),
    count: koffi.union({ count: 'uint16', countPropertyIndex: 'uint16' }),
    length: koffi.union({ length: 'uint16', lengthPropertyIndex: 'uint16' }),
    Reserved: koffi.union({ Reserved: 'uint32', Tags: 'uint32' }),
  });
  const TRACE_EVENT_INFO = koffi.struct({
    ProviderGuid: GUID,
    EventGuid: GUID,
    EventDescriptor: EVENT_DESCRIPTOR,
    DecodingSource: 'uint32',
    ProviderNameOffset: 'uint32',
    LevelNameOffset: 'uint32',
    ChannelNameOffset: 'uint32',
    KeywordsNameOffset: 'uint32',
    TaskNameOffset: 'uint32',
    OpcodeNameOffset: 'uint32',
    EventMessageOffset: 'uint32',
    ProviderMessageOffset: 'uint32',
    BinaryXMLOffset: 'uint32',
    BinaryXMLSize: 'uint32',
    EventNameOffset: koffi.union({ EventNameOffset: 'uint32', ActivityIDNameOffset: 'uint32' }),
    EventAttributesOffset: koffi.union({ EventAttributesOffset: 'uint32', RelatedActivityIDNameOffset: 'uint32' }),
    PropertyCount: 'uint32',
    TopLevelPropertyCount: 'uint32',
    Flags: 'uint32',
    EventPropertyInfoArray: koffi.array(EVENT_PROPERTY_INFO, 1),
  });
  const PROPERTY_DATA_DESCRIPTOR = koffi.struct({ PropertyName: 'uint64', ArrayIndex: 'uint32', Reserved: 'uint32' });
  const TDH_CONTEXT = koffi.struct({ ParameterValue: 'uint64', ParameterType: 'uint32', ParameterSize: 'uint32' });
  return { TRACE_EVENT_INFO, EVENT_PROPERTY_INFO, PROPERTY_DATA_DESCRIPTOR, TDH_CONTEXT };
}

/** The TDH functions. Results are Win32 error codes; ERROR_INSUFFICIENT_BUFFER (122) asks for a bigger buffer. */
export interface Tdh {
  types: TdhTypes;
  /** `TDHSTATUS TdhGetEventInformation(PEVENT_RECORD, ULONG, PTDH_CONTEXT, PTRACE_EVENT_INFO, PULONG)`. */
  TdhGetEventInformation(event: unknown, contextCount: number, context: null, buffer: Buffer | null, bufferSize: [number]): number;
  /** `TDHSTATUS TdhGetPropertySize(PEVENT_RECORD, ULONG, PTDH_CONTEXT, ULONG, PPROPERTY_DATA_DESCRIPTOR, PULONG)`. */
  TdhGetPropertySize(event: unknown, contextCount: number, context: null, count: number, descriptors: Buffer, size: [number]): number;
  /** `TDHSTATUS TdhGetProperty(PEVENT_RECORD, ULONG, PTDH_CONTEXT, ULONG, PPROPERTY_DATA_DESCRIPTOR, ULONG, PBYTE)`. */
  TdhGetProperty(event: unknown, contextCount: number, context: null, count: number, descriptors: Buffer, bufferSize: number, buffer: Buffer): number;
}

/** ERROR_INSUFFICIENT_BUFFER: call again with the size written back. */
export const ERROR_INSUFFICIENT_BUFFER = 122;

/** Load `library` (`tdh.dll`, or a stand-in) and bind the functions. */
export function bindTdh(koffi: KoffiModule, library = 'tdh.dll'): Tdh {
  const types = declareTdhTypes(koffi);
  const lib = koffi.load(library);
  const size = koffi.inout(koffi.pointer('uint32'));
  return {
    types,
    TdhGetEventInformation: win32Func(lib, 'TdhGetEventInformation', 'uint32', ['void *', 'uint32', 'void *', 'void *', size]) as Tdh['TdhGetEventInformation'],
    TdhGetPropertySize: win32Func(lib, 'TdhGetPropertySize', 'uint32', ['void *', 'uint32', 'void *', 'uint32', 'void *', koffi.out(koffi.pointer('uint32'))]) as Tdh['TdhGetPropertySize'],
    TdhGetProperty: win32Func(lib, 'TdhGetProperty', 'uint32', ['void *', 'uint32', 'void *', 'uint32', 'void *', 'uint32', 'void *']) as Tdh['TdhGetProperty'],
  };
}
