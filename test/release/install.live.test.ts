// The clean-root-file-system install test (scripts/install-test.mjs, `npm run test:install`):
// the tarballs installed into an empty app inside a debootstrapped Debian minbase chroot (no
// compiler, no libbpf), where doctor, a live watch and the README example must pass. Root on
// Linux x64 runs it (network: the Debian mirror once a day, the npm registry); others skip.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './packed.js';

const skip =
  process.platform !== 'linux' || process.arch !== 'x64'
    ? `needs Linux x64 (this is ${process.platform}-${process.arch})`
    : process.getuid?.() !== 0
      ? 'needs root (debootstrap, chroot, mounts, the live sensor)'
      : spawnSync('sh', ['-c', 'command -v debootstrap'], { stdio: 'ignore' }).status !== 0
        ? "needs debootstrap ('npm run setup' installs it)"
        : undefined;

describe.skipIf(skip !== undefined)(`install on a clean root file system${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('doctor, a live watch that sees an exec, and the README example pass in a minbase chroot', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/install-test.mjs')], { encoding: 'utf8', timeout: 480_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/edrkit watch: saw the exec[\s\S]*README embedding example: ran[\s\S]*passed/);
  }, 480_000);
});
