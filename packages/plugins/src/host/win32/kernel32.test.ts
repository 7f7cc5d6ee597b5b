import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { jobExtendedLimits, jobUiRestrictions } from './job-limits.js';
import { declareKernel32Types, JOB_OBJECT_LIMIT_ACTIVE_PROCESS, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, type KoffiModule } from './kernel32.js';

// koffi is loaded here only to check the layouts; it lays structs out by the C ABI of the
// machine it runs on, which for these members is the same on Linux x64 and Windows x64.
const koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
const x64 = process.arch === 'x64';

describe('kernel32 struct layouts (Windows SDK, x64)', () => {
  it.skipIf(!x64)('match the documented sizes and offsets (skipped off x64: the sizes below are x64 sizes)', () => {
    const t = declareKernel32Types(koffi);
    expect(koffi.sizeof(t.JOBOBJECT_BASIC_LIMIT_INFORMATION)).toBe(64);
    expect(koffi.sizeof(t.IO_COUNTERS)).toBe(48);
    expect(koffi.sizeof(t.JOBOBJECT_EXTENDED_LIMIT_INFORMATION)).toBe(144);
    expect(koffi.sizeof(t.JOBOBJECT_BASIC_UI_RESTRICTIONS)).toBe(4);
    const basic = Object.fromEntries(
      ['PerProcessUserTimeLimit', 'PerJobUserTimeLimit', 'LimitFlags', 'MinimumWorkingSetSize', 'MaximumWorkingSetSize', 'ActiveProcessLimit', 'Affinity', 'PriorityClass', 'SchedulingClass'].map((m) => [
        m,
        koffi.offsetof(t.JOBOBJECT_BASIC_LIMIT_INFORMATION, m),
      ]),
    );
    // LimitFlags is a DWORD followed by a SIZE_T: 4 bytes of padding at 20.
    expect(basic).toEqual({ PerProcessUserTimeLimit: 0, PerJobUserTimeLimit: 8, LimitFlags: 16, MinimumWorkingSetSize: 24, MaximumWorkingSetSize: 32, ActiveProcessLimit: 40, Affinity: 48, PriorityClass: 56, SchedulingClass: 60 });
    const ext = Object.fromEntries(
      ['BasicLimitInformation', 'IoInfo', 'ProcessMemoryLimit', 'JobMemoryLimit', 'PeakProcessMemoryUsed', 'PeakJobMemoryUsed'].map((m) => [m, koffi.offsetof(t.JOBOBJECT_EXTENDED_LIMIT_INFORMATION, m)]),
    );
    expect(ext).toEqual({ BasicLimitInformation: 0, IoInfo: 64, ProcessMemoryLimit: 112, JobMemoryLimit: 120, PeakProcessMemoryUsed: 128, PeakJobMemoryUsed: 136 });
  });

  it.skipIf(!x64)('encode the built limits at those offsets (every field name matches the struct)', () => {
    const t = declareKernel32Types(koffi);
    const buf = Buffer.alloc(144, 0xff);
    koffi.encode(buf, t.JOBOBJECT_EXTENDED_LIMIT_INFORMATION, jobExtendedLimits({ memoryBytes: 384 * 1024 * 1024, cpuSeconds: 2.5 }));
    expect(buf.readBigInt64LE(0)).toBe(25_000_000n);
    expect(buf.readUInt32LE(16) & (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_ACTIVE_PROCESS)).toBe(JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_ACTIVE_PROCESS);
    expect(buf.readUInt32LE(40)).toBe(1);
    expect(buf.readBigUInt64LE(112)).toBe(0n);
    expect(buf.readBigUInt64LE(120)).toBe(384n * 1024n * 1024n);
    const ui = Buffer.alloc(4);
    koffi.encode(ui, t.JOBOBJECT_BASIC_UI_RESTRICTIONS, jobUiRestrictions());
    expect(ui.readUInt32LE(0)).toBe(0xff);
  });
});
