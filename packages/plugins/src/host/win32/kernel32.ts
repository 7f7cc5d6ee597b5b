/**
 * kernel32.dll declarations for the Windows Job Object confinement, with the exact Win32
 * names and the x64 struct layouts of the Windows SDK (winnt.h, jobapi2.h, processthreadsapi.h,
 * handleapi.h). koffi is passed in, never imported here: this file is loaded on every
 * platform, koffi only on win32 (windows-job.ts) and in tests (the struct layouts).
 *
 * @module
 */
import type * as Koffi from 'koffi';

/** The koffi module, as `require('koffi')` returns it. */
export type KoffiModule = typeof Koffi;
type CType = Koffi.IKoffiCType;

/** JOBOBJECTINFOCLASS values (winnt.h). */
export const JobObjectBasicUIRestrictions = 4;
export const JobObjectExtendedLimitInformation = 9;

/** JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags bits (winnt.h). */
export const JOB_OBJECT_LIMIT_PROCESS_TIME = 0x0000_0002;
export const JOB_OBJECT_LIMIT_ACTIVE_PROCESS = 0x0000_0008;
export const JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x0000_0100;
export const JOB_OBJECT_LIMIT_JOB_MEMORY = 0x0000_0200;
export const JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION = 0x0000_0400;
export const JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x0000_2000;

/** JOBOBJECT_BASIC_UI_RESTRICTIONS.UIRestrictionsClass bits (winnt.h). */
export const JOB_OBJECT_UILIMIT_HANDLES = 0x0001;
export const JOB_OBJECT_UILIMIT_READCLIPBOARD = 0x0002;
export const JOB_OBJECT_UILIMIT_WRITECLIPBOARD = 0x0004;
export const JOB_OBJECT_UILIMIT_SYSTEMPARAMETERS = 0x0008;
export const JOB_OBJECT_UILIMIT_DISPLAYSETTINGS = 0x0010;
export const JOB_OBJECT_UILIMIT_GLOBALATOMS = 0x0020;
export const JOB_OBJECT_UILIMIT_DESKTOP = 0x0040;
export const JOB_OBJECT_UILIMIT_EXITWINDOWS = 0x0080;

/** Process access rights (winnt.h) AssignProcessToJobObject needs on the process handle. */
export const PROCESS_TERMINATE = 0x0001;
export const PROCESS_SET_QUOTA = 0x0100;

/** The struct types, declared with koffi (x64 sizes: 64, 48, 144, 4 bytes). */
export interface Kernel32Types {
  HANDLE: CType;
  JOBOBJECT_BASIC_LIMIT_INFORMATION: CType;
  IO_COUNTERS: CType;
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION: CType;
  JOBOBJECT_BASIC_UI_RESTRICTIONS: CType;
}

/** A Win32 HANDLE as koffi returns it: an opaque pointer object, or null. */
export type HANDLE = object | null;

/** The kernel32 functions the job confinement calls. BOOL results are 0 on failure. */
export interface Kernel32 {
  CreateJobObjectW(lpJobAttributes: null, lpName: string | null): HANDLE;
  SetInformationJobObject_Extended(hJob: HANDLE, infoClass: number, info: JobObjectExtendedLimitInformation, length: number): number;
  SetInformationJobObject_UI(hJob: HANDLE, infoClass: number, info: JobObjectBasicUiRestrictions, length: number): number;
  OpenProcess(dwDesiredAccess: number, bInheritHandle: number, dwProcessId: number): HANDLE;
  AssignProcessToJobObject(hJob: HANDLE, hProcess: HANDLE): number;
  TerminateJobObject(hJob: HANDLE, uExitCode: number): number;
  CloseHandle(hObject: HANDLE): number;
  GetLastError(): number;
  /** koffi.sizeof of the info structs: the cbJobObjectInformationLength arguments. */
  sizes: { extendedLimitInformation: number; basicUiRestrictions: number };
}

/** JOBOBJECT_BASIC_LIMIT_INFORMATION as a JS object (LARGE_INTEGER times in 100 ns units). */
export interface JobObjectBasicLimitInformation {
  PerProcessUserTimeLimit: number;
  PerJobUserTimeLimit: number;
  LimitFlags: number;
  MinimumWorkingSetSize: number;
  MaximumWorkingSetSize: number;
  ActiveProcessLimit: number;
  Affinity: number;
  PriorityClass: number;
  SchedulingClass: number;
}

/** IO_COUNTERS (read back by QueryInformationJobObject; zero when setting limits). */
export interface IoCounters {
  ReadOperationCount: number;
  WriteOperationCount: number;
  OtherOperationCount: number;
  ReadTransferCount: number;
  WriteTransferCount: number;
  OtherTransferCount: number;
}

/** JOBOBJECT_EXTENDED_LIMIT_INFORMATION as a JS object. */
export interface JobObjectExtendedLimitInformation {
  BasicLimitInformation: JobObjectBasicLimitInformation;
  IoInfo: IoCounters;
  ProcessMemoryLimit: number;
  JobMemoryLimit: number;
  PeakProcessMemoryUsed: number;
  PeakJobMemoryUsed: number;
}

/** JOBOBJECT_BASIC_UI_RESTRICTIONS as a JS object. */
export interface JobObjectBasicUiRestrictions {
  UIRestrictionsClass: number;
}

/**
 * Declare the struct types with `koffi`. They are anonymous (no global koffi type names),
 * so declaring them twice in one process is harmless.
 */
export function declareKernel32Types(koffi: KoffiModule): Kernel32Types {
  // LARGE_INTEGER is a union whose widest member is a LONGLONG: int64 size and alignment.
  const JOBOBJECT_BASIC_LIMIT_INFORMATION = koffi.struct({
    PerProcessUserTimeLimit: 'int64',
    PerJobUserTimeLimit: 'int64',
    LimitFlags: 'uint32',
    MinimumWorkingSetSize: 'size_t',
    MaximumWorkingSetSize: 'size_t',
    ActiveProcessLimit: 'uint32',
    Affinity: 'uintptr_t',
    PriorityClass: 'uint32',
    SchedulingClass: 'uint32',
  });
  const IO_COUNTERS = koffi.struct({
    ReadOperationCount: 'uint64',
    WriteOperationCount: 'uint64',
    OtherOperationCount: 'uint64',
    ReadTransferCount: 'uint64',
    WriteTransferCount: 'uint64',
    OtherTransferCount: 'uint64',
  });
  const JOBOBJECT_EXTENDED_LIMIT_INFORMATION = koffi.struct({
    BasicLimitInformation: JOBOBJECT_BASIC_LIMIT_INFORMATION,
    IoInfo: IO_COUNTERS,
    ProcessMemoryLimit: 'size_t',
    JobMemoryLimit: 'size_t',
    PeakProcessMemoryUsed: 'size_t',
    PeakJobMemoryUsed: 'size_t',
  });
  const JOBOBJECT_BASIC_UI_RESTRICTIONS = koffi.struct({ UIRestrictionsClass: 'uint32' });
  return { HANDLE: koffi.pointer(koffi.opaque()), JOBOBJECT_BASIC_LIMIT_INFORMATION, IO_COUNTERS, JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JOBOBJECT_BASIC_UI_RESTRICTIONS };
}

/** Load kernel32.dll with `koffi` and bind the functions (win32 only). */
export function bindKernel32(koffi: KoffiModule): Kernel32 {
  const types = declareKernel32Types(koffi);
  const lib = koffi.load('kernel32.dll');
  const { HANDLE } = types;
  // __stdcall is the Win32 convention (ignored by the x64 ABI, required on ia32).
  const fn = (name: string, result: Koffi.TypeSpec, args: Koffi.TypeSpec[]) => lib.func('__stdcall', name, result, args);
  // One binding per info class: SetInformationJobObject takes an untyped LPVOID.
  const setInfo = (info: CType) => fn('SetInformationJobObject', 'int', [HANDLE, 'int', koffi.pointer(info), 'uint32']);
  return {
    CreateJobObjectW: fn('CreateJobObjectW', HANDLE, ['void *', 'str16']) as Kernel32['CreateJobObjectW'],
    SetInformationJobObject_Extended: setInfo(types.JOBOBJECT_EXTENDED_LIMIT_INFORMATION) as Kernel32['SetInformationJobObject_Extended'],
    SetInformationJobObject_UI: setInfo(types.JOBOBJECT_BASIC_UI_RESTRICTIONS) as Kernel32['SetInformationJobObject_UI'],
    OpenProcess: fn('OpenProcess', HANDLE, ['uint32', 'int', 'uint32']) as Kernel32['OpenProcess'],
    AssignProcessToJobObject: fn('AssignProcessToJobObject', 'int', [HANDLE, HANDLE]) as Kernel32['AssignProcessToJobObject'],
    TerminateJobObject: fn('TerminateJobObject', 'int', [HANDLE, 'uint32']) as Kernel32['TerminateJobObject'],
    CloseHandle: fn('CloseHandle', 'int', [HANDLE]) as Kernel32['CloseHandle'],
    GetLastError: fn('GetLastError', 'uint32', []) as Kernel32['GetLastError'],
    sizes: { extendedLimitInformation: koffi.sizeof(types.JOBOBJECT_EXTENDED_LIMIT_INFORMATION), basicUiRestrictions: koffi.sizeof(types.JOBOBJECT_BASIC_UI_RESTRICTIONS) },
  };
}
