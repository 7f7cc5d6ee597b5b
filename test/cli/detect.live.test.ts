// `edrkit detect` on the live stream: an unchanged SigmaHQ rule fires on real behaviour.
// Root only (live eBPF); needs the corpus (EDRKIT_CORPUS, default ../shared/corpus).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cli-helpers.js';

const corpus = process.env.EDRKIT_CORPUS ?? resolve(repoRoot, '../shared/corpus');
const rule = resolve(corpus, 'sigma/rules/linux/process_creation/proc_creation_lnx_nohup.yml');
const reason = process.getuid?.() !== 0 ? 'needs root for the live eBPF backend' : !existsSync(rule) ? `corpus rule not found at ${rule} (set EDRKIT_CORPUS)` : undefined;

describe.skipIf(reason !== undefined)(`edrkit detect (live)${reason ? ` — skipped: ${reason}` : ''}`, () => {
  it('prints one JSON match per event for the SigmaHQ nohup rule, with a summary on stderr', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=@edrkit/source', '--import', 'tsx', resolve(repoRoot, 'packages/edrkit/bin/edrkit.js'), 'detect', '--rules', rule, '--duration', '8', '--format', 'json'],
      { cwd: repoRoot },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    await new Promise((r) => setTimeout(r, 4000));
    const nohup = spawn('nohup', ['true'], { stdio: 'ignore', cwd: '/tmp' });
    await new Promise((r) => nohup.on('close', r));
    expect(await exited, stderr).toBe(0);
    const matches = stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { rule: { id: string; title: string; level: string; tags: string[] }; event: { process: { pid: number; exe: string } } });
    const ours = matches.filter((m) => m.event.process.pid === nohup.pid);
    expect(ours).toHaveLength(1);
    expect(ours[0]?.rule).toMatchObject({ id: 'e4ffe466-6ff8-48d4-94bd-e32d1a6061e2', title: 'Nohup Execution' });
    expect(ours[0]?.event.process.exe).toMatch(/\/nohup$/);
    expect(stderr).toMatch(/1 rule/);
  }, 60_000);
});
