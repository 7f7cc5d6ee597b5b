import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { generateKeyPair } from '../signing/keys.js';
import { tmpDir, writePlugin, pluginRefusal } from '../testing/fixtures.js';
import { readFileNoFollow, readPackageBytes, writeFileReplacing } from './files.js';
import { PLUGIN_MANIFEST } from './manifest.js';
import { signPackage } from './sign.js';
import { verifyPackage } from './verify.js';
import { pluginManifestKind } from './plugin-package.js';

const key = generateKeyPair();
const posix = process.platform !== 'win32';

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

describe.skipIf(!posix)('package files are opened without following links or blocking', () => {
  it('readFileNoFollow refuses a FIFO, a symlink to a FIFO, a symlink to a file and a directory, without blocking', () => {
    const dir = tmpDir();
    mkfifo(path.join(dir, 'fifo'));
    writeFileSync(path.join(dir, 'real.js'), 'ok');
    symlinkSync(path.join(dir, 'fifo'), path.join(dir, 'to-fifo'));
    symlinkSync(path.join(dir, 'real.js'), path.join(dir, 'to-file'));
    mkdirSync(path.join(dir, 'sub'));
    // A blocking open of the FIFO would hang this test (no writer ever appears).
    expect(pluginRefusal(() => readFileNoFollow(path.join(dir, 'fifo'), 'fifo'))).toBe('ERR_PLUGIN_TAMPERED: fifo is a FIFO (symlinks and special files are refused)');
    expect(pluginRefusal(() => readFileNoFollow(path.join(dir, 'to-fifo'), 'to-fifo'))).toMatch(/^ERR_PLUGIN_TAMPERED: to-fifo is a symbolic link/);
    expect(pluginRefusal(() => readFileNoFollow(path.join(dir, 'to-file'), 'to-file'))).toMatch(/^ERR_PLUGIN_TAMPERED: to-file is a symbolic link/);
    expect(pluginRefusal(() => readFileNoFollow(path.join(dir, 'sub'), 'sub'))).toMatch(/^ERR_PLUGIN_TAMPERED: sub is a directory/);
    expect(readFileNoFollow(path.join(dir, 'real.js'), 'real.js').toString()).toBe('ok');
    expect(pluginRefusal(() => readFileNoFollow(path.join(dir, 'real.js'), 'real.js', 1))).toMatch(/^ERR_PLUGIN_IO: real.js is larger than 1 bytes/);
  });

  it('a package file swapped for a FIFO or a symlink after signing is refused by verify, never hangs', () => {
    const root = tmpDir();
    for (const swap of ['fifo', 'symlink-to-fifo', 'symlink-to-file', 'symlinked-dir'] as const) {
      const dir = writePlugin(root, { name: `swap-${swap}`, source: 'export function onEvent() {}', extraFiles: { 'lib/util.js': 'export {}' } });
      signPackage(dir, key.secretKey);
      const target = path.join(dir, 'lib/util.js');
      const outside = path.join(tmpDir(), 'outside');
      mkdirSync(outside);
      writeFileSync(path.join(outside, 'util.js'), 'export {}');
      mkfifo(path.join(outside, 'fifo'));
      rmSync(target);
      if (swap === 'fifo') mkfifo(target);
      if (swap === 'symlink-to-fifo') symlinkSync(path.join(outside, 'fifo'), target);
      if (swap === 'symlink-to-file') symlinkSync(path.join(outside, 'util.js'), target);
      if (swap === 'symlinked-dir') {
        rmSync(path.join(dir, 'lib'), { recursive: true });
        symlinkSync(outside, path.join(dir, 'lib'));
      }
      const result = pluginRefusal(() => verifyPackage(dir, pluginManifestKind, { keys: [key.publicKey] }));
      expect(result, swap).toMatch(/^ERR_PLUGIN_TAMPERED: .*'lib(\/util\.js)?' is not a regular file/);
    }
  });

  it('a symlinked package directory or manifest is refused', () => {
    const root = tmpDir();
    const dir = writePlugin(root, { name: 'linked', source: 'export function onEvent() {}' });
    signPackage(dir, key.secretKey);
    symlinkSync(dir, path.join(root, 'alias'));
    expect(pluginRefusal(() => readPackageBytes(path.join(root, 'alias'), PLUGIN_MANIFEST))).toMatch(/^ERR_PLUGIN_IO: .*not a directory/);
    const manifest = path.join(dir, PLUGIN_MANIFEST);
    const moved = path.join(root, 'manifest.json');
    writeFileSync(moved, readFileSync(manifest));
    rmSync(manifest);
    symlinkSync(moved, manifest);
    expect(pluginRefusal(() => readPackageBytes(dir, PLUGIN_MANIFEST))).toMatch(/^ERR_PLUGIN_MANIFEST: .*no edrkit-plugin.json/);
  });

  it('signing output replaces a symlink instead of writing through it', () => {
    const dir = tmpDir();
    const victim = path.join(tmpDir(), 'victim');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, path.join(dir, 'edrkit-plugin.json.minisig'));
    writeFileReplacing(path.join(dir, 'edrkit-plugin.json.minisig'), 'signature');
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readFileNoFollow(path.join(dir, 'edrkit-plugin.json.minisig'), 'sig').toString()).toBe('signature');
  });
});
