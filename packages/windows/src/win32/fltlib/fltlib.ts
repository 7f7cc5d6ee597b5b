/**
 * fltlib.dll: the user-mode side of a minifilter's communication port (fltuser.h). A vendor
 * minifilter creates the port; edrkit connects, reads messages (FILTER_MESSAGE_HEADER plus the
 * body) and replies (FILTER_REPLY_HEADER plus the verdict).
 *
 * @module
 */
import type * as Koffi from 'koffi';
import { win32Func, type CType, type KoffiModule } from '../koffi.js';
import { declareSharedTypes } from '../types.js';

/** HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND): no port of that name (the minifilter is not loaded). */
export const HRESULT_FILE_NOT_FOUND = 0x8007_0002 | 0;
/** HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED): the port's security descriptor refuses this process. */
export const HRESULT_ACCESS_DENIED = 0x8007_0005 | 0;
/** HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE): the port was closed (stop). */
export const HRESULT_INVALID_HANDLE = 0x8007_0006 | 0;
/** HRESULT_FROM_WIN32(ERROR_OPERATION_ABORTED): a pending FilterGetMessage was cancelled. */
export const HRESULT_OPERATION_ABORTED = 0x8007_03e3 | 0;

/** The fltlib struct types. */
export interface FltlibTypes {
  HANDLE: CType;
  /** FILTER_MESSAGE_HEADER: ReplyLength, MessageId (16 bytes on x64). */
  FILTER_MESSAGE_HEADER: CType;
  /** FILTER_REPLY_HEADER: Status (NTSTATUS), MessageId (16 bytes on x64). */
  FILTER_REPLY_HEADER: CType;
}

/** Declare the fltlib types. */
export function declareFltlibTypes(koffi: KoffiModule): FltlibTypes {
  const { HANDLE } = declareSharedTypes(koffi);
  return {
    HANDLE,
    FILTER_MESSAGE_HEADER: koffi.struct({ ReplyLength: 'uint32', MessageId: 'uint64' }),
    FILTER_REPLY_HEADER: koffi.struct({ Status: 'int32', MessageId: 'uint64' }),
  };
}

/** The fltlib functions. Results are HRESULTs (0 = S_OK). */
export interface Fltlib {
  types: FltlibTypes;
  /** `HRESULT FilterConnectCommunicationPort(LPCWSTR, DWORD, LPCVOID, WORD, LPSECURITY_ATTRIBUTES, HANDLE *)`. */
  FilterConnectCommunicationPort(portName: string, options: number, context: Buffer | null, sizeOfContext: number, securityAttributes: null, port: [unknown]): number;
  /** `HRESULT FilterGetMessage(HANDLE, PFILTER_MESSAGE_HEADER, DWORD, LPOVERLAPPED)`: blocks without an OVERLAPPED, so it is called with `.async`. */
  FilterGetMessage: Koffi.KoffiFunction;
  /** `HRESULT FilterReplyMessage(HANDLE, PFILTER_REPLY_HEADER, DWORD)`. */
  FilterReplyMessage(port: unknown, reply: Buffer, replyBufferSize: number): number;
}

/** Load `library` (`fltlib.dll`, or a stand-in) and bind the functions. */
export function bindFltlib(koffi: KoffiModule, library = 'fltlib.dll'): Fltlib {
  const types = declareFltlibTypes(koffi);
  const lib = koffi.load(library);
  return {
    types,
    FilterConnectCommunicationPort: win32Func(lib, 'FilterConnectCommunicationPort', 'int32', ['str16', 'uint32', 'void *', 'uint16', 'void *', koffi.out(koffi.pointer(types.HANDLE))]) as Fltlib['FilterConnectCommunicationPort'],
    FilterGetMessage: win32Func(lib, 'FilterGetMessage', 'int32', [types.HANDLE, 'void *', 'uint32', 'void *']),
    FilterReplyMessage: win32Func(lib, 'FilterReplyMessage', 'int32', [types.HANDLE, 'void *', 'uint32']) as Fltlib['FilterReplyMessage'],
  };
}
