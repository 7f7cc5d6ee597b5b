import { describe, expect, it } from 'vitest';
import { findUprobeFiles, libraryDirs, uprobeTargets } from './uprobe-targets.js';

const fs = (...files: string[]) => (p: string) => files.includes(p);

describe('uprobe targets', () => {
  it('finds Debian x86-64 libpam and bash', () => {
    const files = findUprobeFiles(fs('/lib/x86_64-linux-gnu/libpam.so.0', '/usr/bin/bash'), 'x64');
    expect(files).toEqual({ pam: '/lib/x86_64-linux-gnu/libpam.so.0', bash: '/usr/bin/bash' });
    expect(uprobeTargets(files)).toEqual([
      { prefix: 'edrkit_pam_', path: '/lib/x86_64-linux-gnu/libpam.so.0' },
      { prefix: 'edrkit_rl_', path: '/usr/bin/bash' },
    ]);
  });

  it('finds libpam where Fedora and arm64 Debian keep it, the own architecture first', () => {
    expect(findUprobeFiles(fs('/usr/lib64/libpam.so.0', '/bin/bash'), 'x64')).toEqual({ pam: '/usr/lib64/libpam.so.0', bash: '/bin/bash' });
    const both = fs('/lib/x86_64-linux-gnu/libpam.so.0', '/lib/aarch64-linux-gnu/libpam.so.0');
    expect(findUprobeFiles(both, 'arm64').pam).toBe('/lib/aarch64-linux-gnu/libpam.so.0');
    expect(libraryDirs('arm64')[0]).toBe('/lib/aarch64-linux-gnu');
  });

  it('hands the addon no target for a file that is missing', () => {
    const files = findUprobeFiles(fs(), 'x64');
    expect(files).toEqual({ pam: undefined, bash: undefined });
    expect(uprobeTargets(files)).toEqual([]);
  });
});
