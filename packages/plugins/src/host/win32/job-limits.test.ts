import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jobExtendedLimits, jobUiRestrictions } from './job-limits.js';

describe('plugin child Job Object limits', () => {
  it('kill on close, one process, job memory, user CPU time, die on unhandled exception', () => {
    const limits = jobExtendedLimits({ memoryBytes: 384 * 1024 * 1024, cpuSeconds: 86_400 });
    // KILL_ON_JOB_CLOSE 0x2000 | DIE_ON_UNHANDLED_EXCEPTION 0x400 | JOB_MEMORY 0x200 | ACTIVE_PROCESS 0x8 | PROCESS_TIME 0x2
    expect(limits.BasicLimitInformation.LimitFlags).toBe(0x260a);
    expect(limits.BasicLimitInformation.ActiveProcessLimit).toBe(1);
    expect(limits.BasicLimitInformation.PerProcessUserTimeLimit).toBe(864_000_000_000);
    expect(limits.JobMemoryLimit).toBe(402_653_184);
    // Without their flags these are ignored; kept zero so nothing else is limited by accident.
    expect(limits.ProcessMemoryLimit).toBe(0);
    expect(limits.BasicLimitInformation.MinimumWorkingSetSize).toBe(0);
  });

  it('rounds CPU time up to whole 100 ns ticks and memory down to whole bytes', () => {
    const limits = jobExtendedLimits({ memoryBytes: 1000.9, cpuSeconds: 0.00000001 });
    expect(limits.BasicLimitInformation.PerProcessUserTimeLimit).toBe(1);
    expect(limits.JobMemoryLimit).toBe(1000);
  });

  it('refuses limits that are not positive finite numbers, with a code (fuzzed)', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => jobExtendedLimits({ memoryBytes: bad, cpuSeconds: 1 })).toThrow(expect.objectContaining({ code: 'ERR_PLUGIN_LIMITS', message: expect.stringContaining('memoryBytes') }));
      expect(() => jobExtendedLimits({ memoryBytes: 1, cpuSeconds: bad })).toThrow(expect.objectContaining({ code: 'ERR_PLUGIN_LIMITS', message: expect.stringContaining('cpuSeconds') }));
    }
    fc.assert(
      fc.property(fc.double({ min: 1, max: 2 ** 50, noNaN: true }), fc.double({ min: 1e-7, max: 1e12, noNaN: true }), (memoryBytes, cpuSeconds) => {
        const l = jobExtendedLimits({ memoryBytes, cpuSeconds });
        expect(Number.isSafeInteger(l.JobMemoryLimit) && l.JobMemoryLimit > 0).toBe(true);
        const ticks = l.BasicLimitInformation.PerProcessUserTimeLimit;
        expect(Number.isSafeInteger(ticks) && ticks >= 1).toBe(true);
      }),
    );
  });

  it('UI restrictions close handles, clipboard, system parameters, display, atoms, desktop and exit', () => {
    expect(jobUiRestrictions().UIRestrictionsClass).toBe(0xff);
  });
});
