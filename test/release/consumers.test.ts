// Consumers of the published tarballs, installed into an empty app (packed.ts): ESM import and
// CommonJS require on every Node major that `engines` accepts, TypeScript (module nodenext in
// both module kinds, moduleResolution bundler) against the published types with lib checks
// on, and `attw` over every tarball. A Node major whose binary is absent skips with the reason.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeBinaries } from '../cli/node-versions.js';
import { neededLibraries, packAndInstall, ROOT, type PackedInstall } from './packed.js';

const FIXTURES = path.join(ROOT, 'test/release/fixtures');
let packed: PackedInstall;

beforeAll(() => {
  packed = packAndInstall();
}, 180_000);

describe('the packed tarballs in an empty app', () => {
  for (const node of nodeBinaries()) {
    describe.skipIf(node.skip !== undefined)(`Node ${node.major}${node.skip ? ` — skipped: ${node.skip}` : ` (${node.version})`}`, () => {
      for (const fixture of ['esm.mjs', 'cjs.cjs']) {
        it(`${fixture}: the API loads${process.platform === 'linux' ? ', and the addon and launcher come from the platform package' : ''}`, () => {
          cpSync(path.join(FIXTURES, fixture), path.join(packed.app, fixture));
          const r = spawnSync(node.path as string, [fixture], { cwd: packed.app, encoding: 'utf8', timeout: 30_000 });
          expect(r.status, r.stderr).toBe(0);
          const result = JSON.parse(r.stdout) as Record<string, unknown>;
          expect(result).toMatchObject({ node: node.version, openSensor: 'function', error: 'function' });
          expect(result.backends).toContain('replay');
          if (process.platform === 'linux') {
            expect(result.libbpf, 'the addon loads (libbpf version)').toMatch(/^v1\./);
            expect(String(result.launcher)).toContain(`node_modules/@edrkit/linux-${process.arch}-`);
          }
        });
      }
    });
  }

  it('TypeScript: module nodenext (ESM and CommonJS files) and moduleResolution bundler check against the published types, skipLibCheck off', () => {
    const kinds = ['ts-nodenext-esm', 'ts-nodenext-cjs', 'ts-bundler'];
    for (const kind of kinds) {
      const dir = path.join(packed.app, kind);
      cpSync(path.join(FIXTURES, kind), dir, { recursive: true });
      // @types/node from the repository: the app itself installs nothing but edrkit.
      const config = JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
      config.compilerOptions.typeRoots = [path.join(ROOT, 'node_modules/@types')];
      writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
    }
    // One tsc --build for the three: they share the parsed declaration files.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', ...kinds.map((k) => path.join(packed.app, k))], { encoding: 'utf8', timeout: 240_000 });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  }, 240_000);

  it('attw (esm-only profile) reports no problem for any tarball', () => {
    const attw = path.join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    const problems: string[] = [];
    for (const file of packed.files.filter((f) => !/-(linux|darwin|win32)-/.test(f))) {
      const r = spawnSync(process.execPath, [attw, '--profile', 'esm-only', '--format', 'ascii', '--no-color', path.join(packed.tarballs, file)], { encoding: 'utf8', timeout: 60_000 });
      if (r.status !== 0) problems.push(`${file}:\n${r.stdout}${r.stderr}`);
    }
    expect(problems.join('\n')).toBe('');
  }, 180_000);

  it('every package carries the one version, and a platform package only binaries that need the C library alone', () => {
    const versions = new Set(packed.files.map((f) => /-(\d+\.\d+\.\d+(?:-[\w.]+)?)\.tgz$/.exec(f)?.[1]));
    expect(versions.size).toBe(1);
    if (process.platform !== 'linux') return;
    const platformDir = path.join(packed.app, `node_modules/@edrkit/linux-${process.arch}-gnu`);
    const needed = neededLibraries(path.join(platformDir, 'edrkit_linux.node'));
    expect(needed.filter((n) => !/^(libc\.so\.6|ld-linux[-\w.]*\.so\.\d)$/.test(n))).toEqual([]);
    expect(readFileSync(path.join(platformDir, 'THIRD_PARTY_NOTICES'), 'utf8')).toMatch(/libbpf[\s\S]*LGPL-2\.1 or BSD-2-Clause[\s\S]*elfutils[\s\S]*zlib/i);
  });
});
