import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { bindKernel32, JobObjectBasicUIRestrictions, JobObjectExtendedLimitInformation, type Kernel32, type KoffiModule } from './win32/kernel32.js';
import { confineWindowsChild, RESTRICTED_TOKEN_REASON } from './windows-job.js';

const koffi = createRequire(import.meta.url)('koffi') as KoffiModule;

/** A kernel32 double that records calls in order; `failing` names a call that returns failure. */
function recorder(failing?: string) {
  const calls: string[] = [];
  const job = { job: 1 };
  const proc = { proc: 1 };
  const ok = (name: string, value: unknown) => (name === failing ? (name.startsWith('Create') || name === 'OpenProcess' ? null : 0) : value);
  const k: Kernel32 = {
    CreateJobObjectW: () => (calls.push('CreateJobObjectW'), ok('CreateJobObjectW', job) as object | null),
    SetInformationJobObject_Extended: (h, cls, info, len) => (calls.push(`SetInformationJobObject(${cls},${len},${h === job},${info.BasicLimitInformation.ActiveProcessLimit})`), ok('Extended', 1) as number),
    SetInformationJobObject_UI: (h, cls, info, len) => (calls.push(`SetInformationJobObject(${cls},${len},${info.UIRestrictionsClass})`), ok('UI', 1) as number),
    OpenProcess: (access, inherit, pid) => (calls.push(`OpenProcess(${access.toString(16)},${inherit},${pid})`), ok('OpenProcess', proc) as object | null),
    AssignProcessToJobObject: (h, p) => (calls.push(`AssignProcessToJobObject(${h === job},${p === proc})`), ok('Assign', 1) as number),
    TerminateJobObject: () => (calls.push('TerminateJobObject'), 1),
    CloseHandle: (h) => (calls.push(`CloseHandle(${h === job ? 'job' : 'process'})`), 1),
    GetLastError: () => 5,
    sizes: { extendedLimitInformation: 144, basicUiRestrictions: 4 },
  };
  return { k, calls };
}

const options = { memoryBytes: 64 * 1024 * 1024, cpuSeconds: 60 };

describe('Windows Job Object confinement (contract, not run on Windows)', () => {
  it('sets the limits before it assigns the process, closes the process handle, keeps the job open until close()', () => {
    const { k, calls } = recorder();
    const job = confineWindowsChild(4242, options, () => k);
    expect(calls).toEqual([
      'CreateJobObjectW',
      `SetInformationJobObject(${JobObjectExtendedLimitInformation},144,true,1)`,
      `SetInformationJobObject(${JobObjectBasicUIRestrictions},4,255)`,
      // PROCESS_SET_QUOTA | PROCESS_TERMINATE, not inherited.
      'OpenProcess(101,0,4242)',
      'AssignProcessToJobObject(true,true)',
      'CloseHandle(process)',
    ]);
    expect(job.sandbox).toEqual({
      jobObject: 'held',
      killOnClose: 'held',
      activeProcess: 'held',
      jobMemory: 'held',
      cpu: 'held',
      uiRestrictions: 'held',
      restrictedToken: RESTRICTED_TOKEN_REASON,
    });
    job.close();
    job.close();
    expect(calls.filter((c) => c === 'CloseHandle(job)')).toHaveLength(1);
  });

  it('reports each failure with the call and GetLastError, and releases the job', () => {
    for (const [failing, call] of [
      ['CreateJobObjectW', 'CreateJobObjectW'],
      ['Extended', 'SetInformationJobObject(JobObjectExtendedLimitInformation)'],
      ['OpenProcess', 'OpenProcess(7)'],
      ['Assign', 'AssignProcessToJobObject'],
    ] as const) {
      const { k, calls } = recorder(failing);
      const job = confineWindowsChild(7, options, () => k);
      const state = `unavailable:${call} failed (GetLastError 5)`;
      expect(job.sandbox.jobObject, failing).toBe(state);
      expect(job.sandbox.jobMemory, failing).toBe(state);
      expect(calls.includes('CloseHandle(job)'), failing).toBe(failing !== 'CreateJobObjectW');
    }
    // UI restrictions are one layer of their own: the job still holds without them.
    const { k } = recorder('UI');
    const job = confineWindowsChild(7, options, () => k);
    expect(job.sandbox.jobObject).toBe('held');
    expect(job.sandbox.uiRestrictions).toBe(`unavailable:SetInformationJobObject(JobObjectBasicUIRestrictions) failed (GetLastError 5)`);
  });

  it('without koffi, or with bad limits, every layer says why and nothing throws', () => {
    const missing = confineWindowsChild(7, options, () => 'koffi could not load kernel32.dll (no such module)');
    expect(missing.sandbox.jobObject).toBe('unavailable:koffi could not load kernel32.dll (no such module)');
    expect(missing.sandbox.killOnClose).toBe(missing.sandbox.jobObject);
    const { k, calls } = recorder();
    const bad = confineWindowsChild(7, { memoryBytes: Number.NaN, cpuSeconds: 1 }, () => k);
    expect(bad.sandbox.jobObject).toMatch(/^unavailable:job limits: memoryBytes/);
    expect(calls).toEqual([]);
  });

  it('binds the exact kernel32 exports with their Win32 argument counts', () => {
    const declared: [string, string, number][] = [];
    const fakeLib = { func: (conv: string, name: string, _result: unknown, args: unknown[]) => (declared.push([conv, name, args.length]), () => 0) };
    const bound = bindKernel32({ ...koffi, load: (path: string | null) => (expect(path).toBe('kernel32.dll'), fakeLib) } as unknown as KoffiModule);
    expect(declared).toEqual([
      ['__stdcall', 'CreateJobObjectW', 2],
      ['__stdcall', 'SetInformationJobObject', 4],
      ['__stdcall', 'SetInformationJobObject', 4],
      ['__stdcall', 'OpenProcess', 3],
      ['__stdcall', 'AssignProcessToJobObject', 2],
      ['__stdcall', 'TerminateJobObject', 2],
      ['__stdcall', 'CloseHandle', 1],
      ['__stdcall', 'GetLastError', 0],
    ]);
    if (process.arch === 'x64') expect(bound.sizes).toEqual({ extendedLimitInformation: 144, basicUiRestrictions: 4 });
  });
});
