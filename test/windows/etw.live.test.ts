/**
 * The `windows-etw` backend on a real Windows (run by .github/workflows/windows.yml as the
 * runner's elevated administrator): a real-time session sees a process this test starts, the
 * file it writes and its exit, and stopping the sensor leaves no session behind. On other
 * systems there is no ETW, so it does not run.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent, type EventOfKind } from '@edrkit/core';
import { WindowsEtwBackend } from '@edrkit/windows';

const WINDOWS = process.platform === 'win32';

describe.skipIf(!WINDOWS)(`windows-etw live${WINDOWS ? '' : ' — skipped: ETW exists only on Windows (see .github/workflows/windows.yml)'}`, () => {
  it('sees cmd.exe start, write a file and exit; leaves no session behind', async () => {
    const sensor = await openSensor({ backend: new WindowsEtwBackend({ sessionName: 'live-test' }), kinds: ['process.exec', 'process.exit', 'file.create'], filter: { includeSelf: true } });
    const file = path.join(tmpdir(), `edrkit-live-${process.pid}.txt`);
    const seen: EdrEvent[] = [];
    const child = new Promise<number>((resolve) => {
      setTimeout(() => {
        const r = spawnSync('cmd.exe', ['/c', `echo edrkit> "${file}"`], { windowsHide: true });
        resolve(r.pid ?? 0);
      }, 2000); // let the session come up
    });
    const deadline = Date.now() + 30_000;
    let pid = 0;
    void child.then((p) => (pid = p));
    for await (const e of sensor) {
      seen.push(e);
      if (pid && seen.some((x) => x.kind === 'process.exit' && x.process.pid === pid)) break;
      if (Date.now() > deadline) break;
    }
    await sensor.close();
    const exec = seen.find((e): e is EventOfKind<'process.exec'> => e.kind === 'process.exec' && e.process.pid === pid);
    expect(exec?.process.exe.toLowerCase()).toMatch(/\\cmd\.exe$/);
    expect(seen.some((e) => e.kind === 'file.create' && e.file.path.toLowerCase().endsWith(path.basename(file).toLowerCase()))).toBe(true);
    const sessions = spawnSync('logman', ['query', '-ets'], { encoding: 'utf8' }).stdout;
    expect(sessions).not.toContain('edrkit-live-test');
  }, 60_000);
});
