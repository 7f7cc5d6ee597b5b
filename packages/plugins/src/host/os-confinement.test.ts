import { describe, expect, it } from 'vitest';
import { confinementKind } from './os-confinement.js';

describe('OS confinement by platform', () => {
  it('Linux uses the launcher when built, macOS sandbox-exec, Windows a Job Object, others nothing', () => {
    expect(confinementKind('linux', true, true)).toBe('linux-launcher');
    expect(confinementKind('linux', true, false)).toBe('none');
    expect(confinementKind('darwin', true, false)).toBe('macos-sandbox-exec');
    expect(confinementKind('win32', true, false)).toBe('windows-job-object');
    expect(confinementKind('freebsd', true, false)).toBe('none');
  });

  it('sandbox: false disables every OS layer', () => {
    for (const p of ['linux', 'darwin', 'win32'] as const) expect(confinementKind(p, false, true)).toBe('none');
  });
});
