/**
 * Issue 14, part D, live as root: real privilege changes seen by `edrkit watch --format json
 * --kinds process.credentials`. setpriv (util-linux) drops root (setresuid, setresgid,
 * setgroups, and the capset it does to keep its capabilities), capsh (libcap2-bin) sets the
 * capability sets, and test/linux/fixtures/telemetry_d.py makes glibc repeat a setresgid in
 * every thread (one event), changes the fsuid once (the second identical call is no event),
 * and calls setuid / setgroups with what it already has (no event). Unprivileged, the file
 * skips with one line.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventOfKind } from '@edrkit/core';
import { LinuxEbpfBackend } from '@edrkit/linux';
import { liveSkipReason, ROOT } from './helpers.js';
import { watchJson } from './watch-cli.js';

const skip = liveSkipReason();
const FIXTURE = path.join(ROOT, 'test/linux/fixtures/telemetry_d.py');
const CAP_NET_RAW = (1n << 13n).toString(16).padStart(16, '0');

/** Run a command; its pid is found through its events (setpriv and capsh exec their program in the same pid). */
function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fixture(sub: string): Record<string, number> {
  const r = run('/usr/bin/python3', [FIXTURE, sub]);
  if (r.status !== 0) throw new Error(`telemetry_d.py ${sub} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
}

const ROOT_IDS = { uid: 0, euid: 0, suid: 0, fsuid: 0, gid: 0, egid: 0, sgid: 0, fsgid: 0 };
const NOBODY = 65534;

describe.skipIf(!!skip)(`linux-ebpf process.credentials live${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('probe reports process.credentials supported', async () => {
    const probe = await new LinuxEbpfBackend().probe();
    expect(probe.kinds['process.credentials']).toMatchObject({ supported: true });
  });

  it('`edrkit watch --format json` reports setpriv, capsh and glibc privilege changes, and nothing for calls that change nothing', async () => {
    const results: Record<string, Record<string, number>> = {};
    const { events, stderr, code } = await watchJson(['--kinds', 'sensor.start,process.credentials,process.exec', '--duration', '8'], () => {
      const setpriv = run('setpriv', ['--reuid=65534', '--regid=65534', '--groups=4,27', '/bin/true']);
      expect(setpriv.status, setpriv.stderr).toBe(0);
      const capsh = run('capsh', ['--caps=cap_net_raw+eip', '--', '-c', 'true']);
      expect(capsh.status, capsh.stderr).toBe(0);
      for (const sub of ['threads', 'setfsuid', 'same']) results[sub] = fixture(sub);
    });
    expect(code, stderr).toBe(0);
    const creds = events.filter((e): e is EventOfKind<'process.credentials'> => e.kind === 'process.credentials');
    const execOf = (exe: string) => events.find((e): e is EventOfKind<'process.exec'> => e.kind === 'process.exec' && e.process.exe === exe && e.process.args.length > 1)?.process.pid;
    const of = (pid: number | undefined) => creds.filter((e) => e.process.pid === pid);

    // setpriv: its calls in order (setresuid, the capset keeping its capabilities, setresgid, setgroups).
    const sp = of(execOf('/usr/bin/setpriv'));
    expect(sp.map((e) => e.credentials.operation)).toEqual(['setresuid', 'capset', 'setresgid', 'setgroups']);
    const [resuid, , resgid, groups] = sp;
    expect(resuid?.credentials).toMatchObject({ before: ROOT_IDS, after: { uid: NOBODY, euid: NOBODY, suid: NOBODY, fsuid: NOBODY, gid: 0, egid: 0 } });
    expect(resuid?.process).toMatchObject({ uid: NOBODY, user: 'nobody', exe: '/usr/bin/setpriv' });
    // Leaving root cleared the effective capabilities (the kernel's setuid rule); permitted stayed (PR_SET_KEEPCAPS).
    expect(resuid?.credentials.capabilities?.after?.effective).toBe('0000000000000000');
    expect(resuid?.credentials.capabilities?.before?.effective).not.toBe('0000000000000000');
    expect(resgid?.credentials).toMatchObject({ before: { uid: NOBODY, gid: 0, egid: 0, sgid: 0, fsgid: 0 }, after: { uid: NOBODY, gid: NOBODY, egid: NOBODY, sgid: NOBODY, fsgid: NOBODY } });
    expect(groups?.credentials.after.groups).toEqual([4, 27]);
    expect(groups?.credentials.before.groups).not.toEqual([4, 27]);

    // capsh: one capset to exactly CAP_NET_RAW in all three sets.
    const cs = of(execOf('/usr/sbin/capsh'));
    expect(cs.map((e) => e.credentials.operation)).toEqual(['capset']);
    expect(cs[0]?.credentials.capabilities?.after).toEqual({ effective: CAP_NET_RAW, permitted: CAP_NET_RAW, inheritable: CAP_NET_RAW });
    expect(cs[0]?.credentials.before).toEqual(cs[0]?.credentials.after);

    // glibc repeated the setresgid in each of the 4 threads: one event; the second identical call: none.
    expect(results.threads).toMatchObject({ threads: 4, gid: 100 });
    const th = of(results.threads!.pid);
    expect(th.map((e) => e.credentials.operation)).toEqual(['setresgid']);
    expect(th[0]?.credentials).toMatchObject({ before: ROOT_IDS, after: { uid: 0, gid: 100, egid: 100, sgid: 100, fsgid: 100 } });

    // setfsuid returns the previous fsuid, not 0: the first call changed it (an event), the second did not.
    expect(results.setfsuid).toMatchObject({ first: 0, second: 1000 });
    const fs = of(results.setfsuid!.pid);
    expect(fs.map((e) => [e.credentials.operation, e.credentials.before.fsuid, e.credentials.after.fsuid, e.credentials.after.euid])).toEqual([['setfsuid', 0, 1000, 0]]);

    // setuid(0) and setgroups(current list) as root changed nothing: no event.
    expect(of(results.same!.pid)).toEqual([]);
  }, 60_000);
});
