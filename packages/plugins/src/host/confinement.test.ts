import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { launcherArgs, launcherPath, parseStatusLine, probeConfinement, type ConfinementOptions } from './confinement.js';

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

describe('launcher arguments', () => {
  const base: ConfinementOptions = { user: 'nobody', group: 'nogroup', network: false, cgroups: ['/sys/fs/cgroup/memory/x'], maxOpenFiles: 64, maxProcesses: undefined, cpuSeconds: 5.5, dataBytes: undefined };
  it('closes the network unless the plugin may use it, and ends with --', () => {
    const args = launcherArgs(base);
    expect(args).toEqual(expect.arrayContaining(['--no-net', '--seccomp', '--user', 'nobody', '--group', 'nogroup', '--cgroup', '/sys/fs/cgroup/memory/x', '--nofile', '64', '--cpu', '6']));
    expect(args.at(-1)).toBe('--');
    expect(args).not.toContain('--nproc');
    expect(launcherArgs({ ...base, network: true })).not.toContain('--no-net');
    expect(launcherArgs({ ...base, maxProcesses: 2048, dataBytes: 1 << 30 })).toEqual(expect.arrayContaining(['--nproc', '2048', '--data', String(1 << 30)]));
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
