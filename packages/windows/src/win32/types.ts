/**
 * Types shared by several DLLs' declarations (guiddef.h, evntprov.h, minwinbase.h), and the
 * conversions between their C form and JS: GUID text, FILETIME to epoch milliseconds.
 *
 * @module
 */
import type { CType, KoffiModule } from './koffi.js';

/** The shared struct types. */
export interface SharedTypes {
  GUID: CType;
  EVENT_DESCRIPTOR: CType;
  HANDLE: CType;
}

/**
 * GUID (16 bytes), EVENT_DESCRIPTOR (16 bytes), HANDLE — one set per koffi instance: koffi
 * checks pointer types by identity, so every DLL's bindings must share the same HANDLE.
 */
export function declareSharedTypes(koffi: KoffiModule): SharedTypes {
  let types = declared.get(koffi);
  if (!types) declared.set(koffi, (types = declare(koffi)));
  return types;
}

const declared = new WeakMap<KoffiModule, SharedTypes>();

function declare(koffi: KoffiModule): SharedTypes {
  return {
    GUID: koffi.struct({ Data1: 'uint32', Data2: 'uint16', Data3: 'uint16', Data4: koffi.array('uint8', 8) }),
    EVENT_DESCRIPTOR: koffi.struct({ Id: 'uint16', Version: 'uint8', Channel: 'uint8', Level: 'uint8', Opcode: 'uint8', Task: 'uint16', Keyword: 'uint64' }),
    HANDLE: koffi.pointer(koffi.opaque()),
  };
}

/** A GUID as koffi decodes it. */
export interface Guid {
  Data1: number;
  Data2: number;
  Data3: number;
  Data4: number[];
}

/** `{22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716}` (braces optional) → the struct. Throws for anything else. */
export function parseGuid(text: string): Guid {
  const m = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i.exec(text);
  if (!m) throw new TypeError(`not a GUID: ${JSON.stringify(text)}`);
  const tail = `${m[4]}${m[5]}`;
  return {
    Data1: Number.parseInt(m[1]!, 16),
    Data2: Number.parseInt(m[2]!, 16),
    Data3: Number.parseInt(m[3]!, 16),
    Data4: Array.from({ length: 8 }, (_, i) => Number.parseInt(tail.slice(i * 2, i * 2 + 2), 16)),
  };
}

/** The 16 bytes of a GUID as Windows lays it out (Data1–3 little-endian) → lower-case text without braces. */
export function formatGuid(bytes: Uint8Array, offset = 0): string {
  const v = new DataView(bytes.buffer, bytes.byteOffset + offset, 16);
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const tail = Array.from(bytes.subarray(offset + 8, offset + 16), (b) => hex(b, 2)).join('');
  return `${hex(v.getUint32(0, true), 8)}-${hex(v.getUint16(4, true), 4)}-${hex(v.getUint16(6, true), 4)}-${tail.slice(0, 4)}-${tail.slice(4)}`;
}

/** 100-ns intervals between 1601-01-01 (FILETIME's epoch) and 1970-01-01. */
const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;

/** A FILETIME (100 ns since 1601, as a bigint) → ms since the Unix epoch, to the microsecond; undefined before 1970. */
export function filetimeToMs(ft: bigint): number | undefined {
  if (ft < FILETIME_UNIX_EPOCH) return undefined;
  const ticks = ft - FILETIME_UNIX_EPOCH; // 100 ns each
  return Number(ticks / 10n) / 1000; // whole microseconds, as fractional ms
}

/** Win32 error codes the ETW, Event Log and filter-port calls return (winerror.h). */
export const ERROR_SUCCESS = 0;
export const ERROR_FILE_NOT_FOUND = 2;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_INVALID_HANDLE = 6;
export const ERROR_BAD_LENGTH = 24;
export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_MORE_DATA = 234;
export const ERROR_NO_MORE_ITEMS = 259;
export const ERROR_CANCELLED = 1223;
export const ERROR_ALREADY_EXISTS = 183;
export const ERROR_NO_SYSTEM_RESOURCES = 1450;
export const ERROR_WMI_INSTANCE_NOT_FOUND = 4201;
export const ERROR_CTX_CLOSE_PENDING = 7007;
export const ERROR_EVT_CHANNEL_NOT_FOUND = 15007;
