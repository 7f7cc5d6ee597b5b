/**
 * wevtapi.dll: Event Log subscriptions (winevt.h) — for what only the Event Log carries
 * (Security logons and accounts, Service Control Manager changes, Task Scheduler).
 *
 * @module
 */
import type * as Koffi from 'koffi';
import { win32Func, type CType, type KoffiModule } from '../koffi.js';

/** EVT_SUBSCRIBE_FLAGS. */
export const EvtSubscribeToFutureEvents = 1;
export const EvtSubscribeStartAtOldestRecord = 2;
export const EvtSubscribeStartAfterBookmark = 3;
/** EVT_SUBSCRIBE_NOTIFY_ACTION. */
export const EvtSubscribeActionError = 0;
export const EvtSubscribeActionDeliver = 1;
/** EVT_RENDER_FLAGS. */
export const EvtRenderEventValues = 0;
export const EvtRenderEventXml = 1;
export const EvtRenderBookmark = 2;
/** `Timeout` of EvtNext meaning "wait forever". */
export const INFINITE = 0xffff_ffff;

/** The wevtapi struct types. */
export interface WevtapiTypes {
  EVT_HANDLE: CType;
  /** EVT_VARIANT (16 bytes on x64): a union of the value kinds, `Count`, `Type`. */
  EVT_VARIANT: CType;
  /** `DWORD WINAPI EVT_SUBSCRIBE_CALLBACK(EVT_SUBSCRIBE_NOTIFY_ACTION, PVOID, EVT_HANDLE)`. */
  EVT_SUBSCRIBE_CALLBACK: CType;
}

/** Declare the wevtapi types. */
export function declareWevtapiTypes(koffi: KoffiModule): WevtapiTypes {
  // The callback prototype has a global koffi name: declare once per koffi instance.
  let types = declared.get(koffi);
  if (!types) declared.set(koffi, (types = declare(koffi)));
  return types;
}

const declared = new WeakMap<KoffiModule, WevtapiTypes>();

function declare(koffi: KoffiModule): WevtapiTypes {
  const EVT_HANDLE = koffi.pointer(koffi.opaque());
  const EVT_VARIANT = koffi.struct({
    Value: koffi.union({ BooleanVal: 'int32', UInt32Val: 'uint32', UInt64Val: 'uint64', DoubleVal: 'double', StringVal: 'void *', Pointer: 'void *' }),
    Count: 'uint32',
    Type: 'uint32',
  });
  const EVT_SUBSCRIBE_CALLBACK = koffi.pointer(koffi.proto('__stdcall', 'EVT_SUBSCRIBE_CALLBACK', 'uint32', ['uint32', 'void *', EVT_HANDLE]));
  return { EVT_HANDLE, EVT_VARIANT, EVT_SUBSCRIBE_CALLBACK };
}

/** An EVT_HANDLE as koffi returns it: an opaque pointer object, or null. */
export type EVT_HANDLE = object | null;

/** The wevtapi functions. BOOL results are 0 on failure (then GetLastError says why). */
export interface Wevtapi {
  types: WevtapiTypes;
  /** `EVT_HANDLE EvtSubscribe(EVT_HANDLE, HANDLE, LPCWSTR, LPCWSTR, EVT_HANDLE, PVOID, EVT_SUBSCRIBE_CALLBACK, DWORD)`. */
  EvtSubscribe(session: null, signalEvent: null, channelPath: string, query: string | null, bookmark: EVT_HANDLE, context: null, callback: unknown, flags: number): EVT_HANDLE;
  /** `BOOL EvtRender(EVT_HANDLE, EVT_HANDLE, DWORD, DWORD, PVOID, PDWORD, PDWORD)`. */
  EvtRender(context: EVT_HANDLE, fragment: EVT_HANDLE, flags: number, bufferSize: number, buffer: Buffer | null, bufferUsed: [number], propertyCount: [number]): number;
  /** `BOOL EvtNext(EVT_HANDLE, DWORD, PEVT_HANDLE, DWORD, DWORD, PDWORD)`. */
  EvtNext: Koffi.KoffiFunction;
  /** `BOOL EvtClose(EVT_HANDLE)`; closing a subscription waits for its callback, so it is called with `.async`. */
  EvtClose: Koffi.KoffiFunction;
}

/** Load `library` (`wevtapi.dll`, or a stand-in) and bind the functions. */
export function bindWevtapi(koffi: KoffiModule, library = 'wevtapi.dll'): Wevtapi {
  const types = declareWevtapiTypes(koffi);
  const lib = koffi.load(library);
  const { EVT_HANDLE } = types;
  return {
    types,
    EvtSubscribe: win32Func(lib, 'EvtSubscribe', EVT_HANDLE, [EVT_HANDLE, 'void *', 'str16', 'str16', EVT_HANDLE, 'void *', types.EVT_SUBSCRIBE_CALLBACK, 'uint32']) as Wevtapi['EvtSubscribe'],
    EvtRender: win32Func(lib, 'EvtRender', 'int32', [EVT_HANDLE, EVT_HANDLE, 'uint32', 'uint32', 'void *', koffi.out(koffi.pointer('uint32')), koffi.out(koffi.pointer('uint32'))]) as Wevtapi['EvtRender'],
    EvtNext: win32Func(lib, 'EvtNext', 'int32', [EVT_HANDLE, 'uint32', koffi.out(koffi.pointer(EVT_HANDLE)), 'uint32', 'uint32', koffi.out(koffi.pointer('uint32'))]),
    EvtClose: win32Func(lib, 'EvtClose', 'int32', [EVT_HANDLE]),
  };
}
