/**
 * kernel32.dll calls the Windows backends need beside the ETW, Event Log and filter-port
 * APIs: closing handles, the last error of a BOOL/handle call, and cancelling a blocking call
 * on another thread (FilterGetMessage at stop).
 *
 * @module
 */
import { win32Func, type KoffiModule } from '../koffi.js';
import { declareSharedTypes } from '../types.js';

/** The kernel32 functions. */
export interface Kernel32 {
  /** `BOOL CloseHandle(HANDLE)`. */
  CloseHandle(handle: unknown): number;
  /** `DWORD GetLastError(void)`: read at once after the failing call. */
  GetLastError(): number;
  /** `BOOL CancelIoEx(HANDLE, LPOVERLAPPED)`: cancels pending I/O on the handle from any thread. */
  CancelIoEx(handle: unknown, overlapped: null): number;
}

/** Load `library` (`kernel32.dll`, or a stand-in) and bind the functions. */
export function bindKernel32(koffi: KoffiModule, library = 'kernel32.dll'): Kernel32 {
  const { HANDLE } = declareSharedTypes(koffi);
  const lib = koffi.load(library);
  return {
    CloseHandle: win32Func(lib, 'CloseHandle', 'int32', [HANDLE]) as Kernel32['CloseHandle'],
    GetLastError: win32Func(lib, 'GetLastError', 'uint32', []) as Kernel32['GetLastError'],
    CancelIoEx: win32Func(lib, 'CancelIoEx', 'int32', [HANDLE, 'void *']) as Kernel32['CancelIoEx'],
  };
}
