import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformPackageName } from '@edrkit/core/internal';
import { DEFAULT_BPF_OBJECT, loadAddon, nativeRemedy, PACKAGE_ROOT, requireBpfObject } from './load-addon.js';

/** A package root laid out as an installed package (node_modules/@edrkit/linux, no repo scripts). */
function installedRoot(): string {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'edrkit-installed-')), 'node_modules/@edrkit/linux');
  mkdirSync(root, { recursive: true });
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: '@edrkit/linux', version: '9.8.7' }));
  return root;
}

/** A package root inside a repository checkout (packages/linux beside scripts/build-native.mjs). */
function checkoutRoot(): { repo: string; root: string } {
  const repo = mkdtempSync(path.join(tmpdir(), 'edrkit-checkout-'));
  mkdirSync(path.join(repo, 'scripts'));
  writeFileSync(path.join(repo, 'scripts/build-native.mjs'), '');
  const root = path.join(repo, 'packages/linux');
  mkdirSync(root, { recursive: true });
  return { repo, root };
}

describe('native files', () => {
  it('a missing addon in a checkout is ERR_NATIVE_MISSING naming the files looked for and `npm run build:native`', () => {
    const { repo, root } = checkoutRoot();
    expect(() => loadAddon(root)).toThrow(
      expect.objectContaining({
        code: 'ERR_NATIVE_MISSING',
        message: expect.stringMatching(new RegExp(`looked for ${root}/build/Release/edrkit_linux\\.node\\): build it with 'npm run build:native' in ${repo} `)),
      }),
    );
  });

  it('a missing addon in an installed package names the platform package to install, never a script it does not have', () => {
    const root = installedRoot();
    let message = '';
    try {
      loadAddon(root);
    } catch (err) {
      message = (err as Error).message;
    }
    const name = platformPackageName();
    expect(message).toContain(`looked for ${root}/build/Release/edrkit_linux.node and ${name}/edrkit_linux.node`);
    expect(message).toContain(`the platform package ${name}@9.8.7 is not installed`);
    expect(message).toContain(`'npm install ${name}@9.8.7'`);
    expect(message).not.toContain('build:native');
  });

  it('a missing BPF object file (objectPath) is ERR_NATIVE_MISSING naming it and the remedy for where it runs', () => {
    expect(() => requireBpfObject(DEFAULT_BPF_OBJECT, PACKAGE_ROOT, () => false)).toThrow(
      expect.objectContaining({ code: 'ERR_NATIVE_MISSING', message: expect.stringMatching(/edrkit\.bpf\.o \(backendOptions\.objectPath\) is missing: build it with 'npm run build:native'/) }),
    );
    expect(() => requireBpfObject('/nonexistent/edrkit.bpf.o', installedRoot())).toThrow(expect.objectContaining({ message: expect.stringMatching(/is missing: leave objectPath out to load the object embedded in the addon/) }));
    expect(nativeRemedy(PACKAGE_ROOT)).toContain("'npm run build:native'");
  });
});
