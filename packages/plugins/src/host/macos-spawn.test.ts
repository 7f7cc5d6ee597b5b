import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { macosSandboxProfile } from './macos-sandbox.js';
import { macosSpawnCommand, SANDBOX_EXEC } from './macos-spawn.js';

const base = { nodePath: '/opt/homebrew/Cellar/node/22.1.0/bin/node', nodeArgs: ['--max-old-space-size=256', '-e', 'host()'], network: false, maxOpenFiles: 128, cpuSeconds: 86_400, dataBytes: 1024 * 1024 * 1024 };

describe('macOS plugin child command line (argv contract; not run on a real macOS)', () => {
  it('runs node under sandbox-exec with the plugin profile, behind sh setting the rlimits', () => {
    const seen: string[] = [];
    const exists = (p: string) => (seen.push(p), true);
    const { command, args, sandbox } = macosSpawnCommand({ ...base, exists });
    expect(command).toBe('/bin/sh');
    const profile = macosSandboxProfile({ nodePath: base.nodePath, readPaths: ['/opt/homebrew/Cellar/node/22.1.0/lib'] });
    expect(args).toEqual([
      '-c',
      'ulimit -c 0 && ulimit -n "$1" && ulimit -t "$2" && ulimit -d "$3" && shift 3 && exec "$@"',
      'edrkit-plugin',
      '128',
      '86400',
      '1048576',
      SANDBOX_EXEC,
      '-p',
      profile,
      base.nodePath,
      ...base.nodeArgs,
    ]);
    expect(seen).toEqual([SANDBOX_EXEC, '/opt/homebrew/Cellar/node/22.1.0/lib']);
    expect(sandbox).toMatchObject({ sandboxExec: 'held', session: 'held', nocore: 'held', nofile: 'held', cpu: 'held', data: 'held' });
    expect(sandbox.pdeathsig).toMatch(/^unavailable:macOS has no parent-death signal/);
  });

  it('opens the network only for an allowed network capability, and reads nothing extra for a Node under /usr', () => {
    const { args } = macosSpawnCommand({ ...base, nodePath: '/usr/local/bin/node', network: true, exists: () => true });
    expect(args[8]).toBe(macosSandboxProfile({ nodePath: '/usr/local/bin/node', network: true }));
    expect(macosSpawnCommand({ ...base, exists: () => true }).args[8]).toContain('(deny network*)');
  });

  it('without sandbox-exec says so and still applies the rlimits', () => {
    const { args, sandbox } = macosSpawnCommand({ ...base, exists: () => false });
    expect(sandbox.sandboxExec).toBe(`unavailable:${SANDBOX_EXEC} not found`);
    expect(args.slice(6)).toEqual([base.nodePath, ...base.nodeArgs]);
  });

  it('refuses limits that are not positive numbers, with a code', () => {
    expect(() => macosSpawnCommand({ ...base, maxOpenFiles: 0 })).toThrow(expect.objectContaining({ code: 'ERR_PLUGIN_LIMITS', message: expect.stringContaining('maxOpenFiles') }));
    expect(() => macosSpawnCommand({ ...base, cpuSeconds: Number.NaN })).toThrow(expect.objectContaining({ code: 'ERR_PLUGIN_LIMITS' }));
  });

  // The sh part is POSIX: run it here (without sandbox-exec) and read the limits the child got.
  it.skipIf(process.platform !== 'linux')('the sh wrapper really sets the limits and execs node with the arguments unchanged (Linux /proc check)', () => {
    const script = "const l=require('fs').readFileSync('/proc/self/limits','utf8');console.log(JSON.stringify({argv:process.argv.slice(1),l}))";
    const { command, args } = macosSpawnCommand({ nodePath: process.execPath, nodeArgs: ['-e', script, 'a b', '"$1"'], network: false, maxOpenFiles: 77, cpuSeconds: 99.2, dataBytes: 3 * 1024 ** 3, exists: () => false });
    const run = spawnSync(command, args, { encoding: 'utf8', env: {} });
    expect(run.status, run.stderr).toBe(0);
    const { argv, l } = JSON.parse(run.stdout) as { argv: string[]; l: string };
    expect(argv).toEqual(['a b', '"$1"']);
    expect(l).toMatch(/Max open files\s+77\s+/);
    expect(l).toMatch(/Max cpu time\s+100\s+/);
    expect(l).toMatch(new RegExp(`Max data size\\s+${3 * 1024 ** 3}\\s+`));
    expect(l).toMatch(/Max core file size\s+0\s+/);
  });
});
