/**
 * `edrkit plugin run` over live kernel events: a signed copy of the example plugin alerts
 * on a shell that this test's node process starts. Root only (live eBPF).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const isRoot = process.getuid?.() === 0;
const cli = (args: string[]) => [...['--conditions=@edrkit/source', '--import', 'tsx', path.join(root, 'packages/edrkit/bin/edrkit.js')], ...args];

describe.skipIf(!isRoot)(`edrkit plugin run (live)${isRoot ? '' : ' — skipped: needs root for the live eBPF backend'}`, () => {
  it('alerts on a shell started by node, within the live stream, and exits cleanly', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'edrkit-live-plugin-'));
    const env = { ...process.env, EDRKIT_HOME: path.join(work, 'home') };
    const dir = path.join(work, 'suspicious-shell');
    cpSync(path.join(root, 'examples/plugins/suspicious-shell'), dir, { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
    const key = path.join(work, 'publisher');
    for (const args of [['plugin', 'keygen', '-o', key], ['plugin', 'sign', dir, '--key', `${key}.key`]]) {
      const r = spawnSync(process.execPath, cli(args), { cwd: root, env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }

    const run = spawn(process.execPath, cli(['plugin', 'run', dir, '--key', `${key}.pub`, '--duration', '8']), { cwd: root, env });
    let stdout = '';
    let stderr = '';
    run.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    run.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => run.on('close', r));
    await new Promise((r) => setTimeout(r, 4000)); // the sensor attaches and the plugin starts
    const sh = spawn('sh', ['-c', 'exit 0']); // a shell whose parent is node: what the plugin looks for
    await new Promise((r) => sh.on('close', r));

    expect(await exited, stderr).toBe(0);
    const alerts = stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { plugin: string; alert: { title: string; severity: string }; event: { kind: string; process: { pid: number } } });
    const ours = alerts.filter((a) => a.event.process.pid === sh.pid);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ plugin: 'suspicious-shell', event: { kind: 'process.exec' } });
    expect(ours[0]?.alert.title).toMatch(/^shell (sh|dash) started by node/);
    expect(stderr).toMatch(/suspicious-shell 1\.0\.0: \d+ event\(s\), \d+ alert\(s\), 0 error\(s\), 0 failure\(s\)/);
  }, 60_000);
});
