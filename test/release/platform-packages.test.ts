// The platform-package scheme: the pack script's table and the runtime's naming agree, and a
// missing platform package is reported by name with the fix (fake package roots, no npm).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findPlatformFile, platformPackageName, targetId, type NativeTarget } from '@edrkit/core/internal';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without types
import { PLATFORM_TARGETS, packageName, targetId as scriptTargetId } from '../../scripts/platform-packages.mjs';

interface Row { os: string; cpu: string; libc?: 'glibc' | 'musl'; files: { file: string; usedBy: string }[] }
const rows = PLATFORM_TARGETS as Row[];
const X64: NativeTarget = { platform: 'linux', arch: 'x64', libc: 'glibc' };

/** node_modules/<owner> with a package.json, optionally beside an installed platform package. */
function installed(owner: { optionalDependencies?: Record<string, string> }, platformFiles?: string[]): string {
  const modules = path.join(mkdtempSync(path.join(tmpdir(), 'edrkit-platform-')), 'node_modules');
  const root = path.join(modules, '@edrkit/linux');
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: '@edrkit/linux', version: '1.2.3', ...owner }));
  if (platformFiles) {
    const dir = path.join(modules, '@edrkit/linux-x64-gnu');
    mkdirSync(path.join(dir, 'bin'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: '@edrkit/linux-x64-gnu', version: '1.2.3' }));
    for (const f of platformFiles) writeFileSync(path.join(dir, f), '');
  }
  return root;
}

describe('platform packages', () => {
  it('the pack table and @edrkit/core/internal name every target the same way', () => {
    for (const row of rows) {
      const target: NativeTarget = { platform: row.os, arch: row.cpu, ...(row.libc ? { libc: row.libc } : {}) };
      expect(scriptTargetId(row)).toBe(targetId(target));
      expect(packageName(row)).toBe(platformPackageName(target));
    }
    expect(platformPackageName(X64)).toBe('@edrkit/linux-x64-gnu');
    expect(platformPackageName({ platform: 'linux', arch: 'arm64', libc: 'musl' })).toBe('@edrkit/linux-arm64-musl');
    expect(platformPackageName({ platform: 'darwin', arch: 'arm64' })).toBe('@edrkit/darwin-arm64');
  });

  it('the Linux targets ship the addon for @edrkit/linux and the launcher for @edrkit/plugins', () => {
    for (const row of rows.filter((r) => r.os === 'linux')) {
      expect(row.files).toEqual(expect.arrayContaining([expect.objectContaining({ file: 'edrkit_linux.node', usedBy: '@edrkit/linux' }), expect.objectContaining({ file: 'bin/edrkit-plugin-launcher', usedBy: '@edrkit/plugins' })]));
    }
  });

  it('finds the file in the installed platform package', () => {
    const root = installed({ optionalDependencies: { '@edrkit/linux-x64-gnu': '1.2.3' } }, ['edrkit_linux.node']);
    expect(findPlatformFile(root, 'edrkit_linux.node', X64)).toMatchObject({ found: true, packageName: '@edrkit/linux-x64-gnu', path: expect.stringMatching(/node_modules\/@edrkit\/linux-x64-gnu\/edrkit_linux\.node$/) });
  });

  it('a platform package npm skipped is named with its version and the install command', () => {
    const root = installed({ optionalDependencies: { '@edrkit/linux-x64-gnu': '1.2.3', '@edrkit/linux-arm64-gnu': '1.2.3' } });
    const r = findPlatformFile(root, 'edrkit_linux.node', X64);
    expect(r).toMatchObject({ found: false, packageName: '@edrkit/linux-x64-gnu' });
    expect(!r.found && r.reason).toMatch(/the platform package @edrkit\/linux-x64-gnu@1\.2\.3 is not installed.*--omit=optional.*'npm install @edrkit\/linux-x64-gnu@1\.2\.3'/);
  });

  it('a target without a prebuild says which targets have one', () => {
    const root = installed({ optionalDependencies: { '@edrkit/linux-x64-gnu': '1.2.3' } });
    const r = findPlatformFile(root, 'edrkit_linux.node', { platform: 'linux', arch: 'riscv64', libc: 'glibc' });
    expect(!r.found && r.reason).toMatch(/@edrkit\/linux has no prebuilt binaries for linux-riscv64 \(glibc\); prebuilt: linux-x64-gnu\. Build them from a clone/);
  });

  it('an installed platform package without the file says to reinstall it', () => {
    const root = installed({ optionalDependencies: { '@edrkit/linux-x64-gnu': '1.2.3' } }, []);
    const r = findPlatformFile(root, 'bin/edrkit-plugin-launcher', X64);
    expect(!r.found && r.reason).toBe("@edrkit/linux-x64-gnu@1.2.3 is installed but has no bin/edrkit-plugin-launcher: reinstall it ('npm install @edrkit/linux-x64-gnu@1.2.3')");
  });
});
