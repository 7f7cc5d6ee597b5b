/**
 * Loading koffi, the optional FFI dependency, only when a Windows API is actually called:
 * importing `@edrkit/windows` on Linux or macOS loads nothing native. Every binding takes the
 * library path from the caller (the DLL name on Windows, or a stand-in library in tests).
 *
 * @module
 */
import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

/** The koffi module, as `require('koffi')` returns it. */
export type KoffiModule = typeof Koffi;
/** A koffi type. */
export type CType = Koffi.IKoffiCType;
/** A loaded library. */
export type KoffiLib = Koffi.IKoffiLib;

let cached: KoffiModule | Error | undefined;

/** koffi, or the reason it cannot be loaded (not installed: it is an optional dependency). */
export function loadKoffi(): KoffiModule | Error {
  if (cached === undefined) {
    try {
      cached = createRequire(import.meta.url)('koffi') as KoffiModule;
    } catch (err) {
      cached = new Error(`koffi could not be loaded (${(err as Error).message}); install the optional dependency koffi`);
    }
  }
  return cached;
}

/** Bind a function with the Win32 calling convention (`__stdcall`: ignored on x64, required on ia32). */
export function win32Func(lib: KoffiLib, name: string, result: Koffi.TypeSpec, args: Koffi.TypeSpec[]): Koffi.KoffiFunction {
  return lib.func('__stdcall', name, result, args);
}
