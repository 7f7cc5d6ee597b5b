import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { launcherPath, parseStatusLine, probeConfinement } from './confinement.js';

const root = process.getuid?.() === 0;

describe('launcher status line', () => {
  it('parses each layer', () => {
    expect(parseStatusLine('edrkit-sandbox\tsession=held\tnetwork=unavailable:unshare(CLONE_NEWNET): Operation not permitted\n')).toEqual({
      session: 'held',
      network: 'unavailable:unshare(CLONE_NEWNET): Operation not permitted',
    });
    expect(parseStatusLine('something else')).toBeUndefined();
  });

  it('never throws and only yields held/unavailable states (fuzzed)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        const r = parseStatusLine(`edrkit-sandbox\t${s}`);
        for (const v of Object.values(r ?? {})) expect(v === 'held' || v.startsWith('unavailable:')).toBe(true);
      }),
    );
  });
});

describe('confinement on this host', () => {
  it.skipIf(process.platform !== 'linux' || !root)('as root on Linux every layer holds (skipped otherwise: identity and netns need root)', async () => {
    expect(launcherPath(), 'run `npm run build:native`').toBeDefined();
    const report = await probeConfinement();
    for (const layer of ['launcher', 'session', 'identity', 'pdeathsig', 'nonewprivs', 'network', 'nocore', 'nofile', 'cpu', 'seccomp', 'permission']) {
      expect(report[layer], layer).toBe('held');
    }
    // Landlock is detected at run time: a kernel without it must say why.
    expect(report.landlock === 'held' || report.landlock?.startsWith('unavailable:')).toBe(true);
  });
});
