// Installing on Linux (or Windows) is unaffected by the macOS addon: @edrkit/macos runs no
// install script, npm does not treat its binding.gyp as a reason to compile (gypfile: false),
// the gyp target is empty off macOS, and the build script does nothing off macOS.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'packages/macos/package.json'), 'utf8')) as { gypfile?: boolean; scripts?: Record<string, string>; os?: string[] };

describe('@edrkit/macos install', () => {
  it('has no install scripts and opts out of npm building binding.gyp', () => {
    expect(pkg.gypfile).toBe(false);
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts ?? {}).not.toHaveProperty(s);
    // No "os": the decoder and the eslogger import format are useful on every OS.
    expect(pkg.os).toBeUndefined();
  });

  it('binding.gyp builds sources only on macOS', () => {
    const gyp = JSON.parse(readFileSync(path.join(root, 'packages/macos/binding.gyp'), 'utf8')) as { targets: Array<{ sources?: string[]; conditions: [string, Record<string, unknown>, Record<string, unknown>][] }> };
    const [target] = gyp.targets;
    expect(target!.sources).toBeUndefined();
    const [cond, mac, other] = target!.conditions[0]!;
    expect(cond).toBe("OS=='mac'");
    expect(mac['sources']).toEqual(expect.arrayContaining(['../../native/macos/src/addon.c']));
    expect(other).toEqual({ type: 'none' });
  });

  it.skipIf(process.platform === 'darwin')('the build script does nothing off macOS', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/build-native-macos.mjs')], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('not macOS, nothing to build');
  });
});
