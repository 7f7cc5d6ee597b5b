import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './plugin-host.js';
import type { WorkerLimits } from './plugin-worker.js';
import { releaseGroup, spawnPluginChild } from './spawn-child.js';
import { RESTRICTED_TOKEN_REASON } from './windows-job.js';

const limits: WorkerLimits = { ...DEFAULT_POLICY, maxOpenFiles: 93, cpuSeconds: 321, maxMessageBytes: 1 << 20 };

/** Spawn through `platform`'s path, collect stdout, wait for the exit. */
async function run(platform: NodeJS.Platform, script: string) {
  const spawned = spawnPluginChild('platform-test', limits, false, ['-e', script], platform);
  let out = '';
  spawned.child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => spawned.child.on('close', resolve));
  if (spawned.child.pid !== undefined) releaseGroup(spawned.child.pid);
  return { ...spawned, out, code };
}

// The other platforms' paths run here as far as Linux can run them: the macOS one without
// sandbox-exec (absent here), the Windows one up to loading kernel32.dll (absent here).
describe.skipIf(process.platform !== 'linux')('plugin child spawn, platform chosen by the caller (on Linux)', () => {
  it('darwin: sh sets the rlimits, the child leads its own process group, sandbox-exec is reported missing', async () => {
    const script = "const f=require('fs');console.log(JSON.stringify({pid:process.pid,stat:f.readFileSync('/proc/self/stat','utf8'),limits:f.readFileSync('/proc/self/limits','utf8')}))";
    const { out, code, sandbox, child } = await run('darwin', script);
    expect(code).toBe(0);
    const seen = JSON.parse(out) as { pid: number; stat: string; limits: string };
    // sh execs node: one process, the one the host spawned.
    expect(seen.pid).toBe(child.pid);
    // /proc/PID/stat after the ")": state ppid pgrp session.
    const [, , pgrp, session] = seen.stat.slice(seen.stat.lastIndexOf(')') + 2).split(' ');
    expect(Number(pgrp)).toBe(seen.pid);
    expect(Number(session)).toBe(seen.pid);
    expect(seen.limits).toMatch(/Max open files\s+93\s+/);
    expect(seen.limits).toMatch(/Max cpu time\s+321\s+/);
    expect(seen.limits).toMatch(/Max core file size\s+0\s+/);
    expect(sandbox).toMatchObject({ sandboxExec: 'unavailable:/usr/bin/sandbox-exec not found', session: 'held', nofile: 'held', cpu: 'held' });
    expect(sandbox.launcher).toBeUndefined();
  });

  it('win32: the Job Object step runs after spawn and reports why kernel32 is unavailable', async () => {
    const { code, sandbox } = await run('win32', '');
    expect(code).toBe(0);
    expect(sandbox.launcher).toBe('unavailable:no launcher for win32 (see docs/plugins.md)');
    expect(sandbox.jobObject).toMatch(/^unavailable:koffi could not load kernel32\.dll \(/);
    expect(sandbox.jobMemory).toBe(sandbox.jobObject);
    expect(sandbox.restrictedToken).toBe(RESTRICTED_TOKEN_REASON);
  });
});
