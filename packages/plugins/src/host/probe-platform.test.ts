import { describe, expect, it } from 'vitest';
import { probePlatformConfinement } from './probe-platform.js';

// doctor's probe for macOS and Windows, run on Linux with the platform injected: each path
// starts a real child and reports what this host lacks instead of claiming it.
describe.skipIf(process.platform !== 'linux')('platform confinement probe (on Linux)', () => {
  it('darwin: the rlimit layers hold, sandbox-exec is reported missing, the child exited 0', async () => {
    const report = await probePlatformConfinement('darwin');
    expect(report).toMatchObject({ sandboxExec: 'unavailable:/usr/bin/sandbox-exec not found', session: 'held', nocore: 'held', nofile: 'held', cpu: 'held', data: 'held' });
    expect(report.permission === 'held' || report.permission?.startsWith('unavailable:')).toBe(true);
  });

  it('win32: the job layers say why kernel32 is unavailable', async () => {
    const report = await probePlatformConfinement('win32');
    expect(report.jobObject).toMatch(/^unavailable:koffi could not load kernel32\.dll/);
    expect(report.restrictedToken).toMatch(/^unavailable:needs a launcher/);
  });
});
