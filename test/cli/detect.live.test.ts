// `edrkit detect` on the live stream (root only, live eBPF): an unchanged SigmaHQ rule fires on
// real behaviour (needs the corpus, EDRKIT_CORPUS); a rule on User fires on a live event of that
// user, and the starter pack runs without --rules (project data only).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusLabel } from '../corpus.js';
import { repoRoot, startEdrkit } from './cli-helpers.js';

const corpus = process.env.EDRKIT_CORPUS ?? resolve(repoRoot, '../shared/corpus');
const rule = resolve(corpus, 'sigma/rules/linux/process_creation/proc_creation_lnx_nohup.yml');
const reason = process.getuid?.() !== 0 ? 'needs root for the live eBPF backend' : !existsSync(rule) ? `corpus rule not found at ${rule} (set EDRKIT_CORPUS)` : undefined;

const label = process.getuid?.() !== 0 ? `edrkit detect (live, SigmaHQ rule) — skipped: ${reason}` : corpusLabel('edrkit detect (live, SigmaHQ rule)', 'sigma');

const isRoot = process.getuid?.() === 0;

/** Run `edrkit detect ARGS --duration 7 --format json` live, and `act()` once the sensor is up. */
async function detectLive(args: string[], act: () => Promise<number | undefined>) {
  const cli = startEdrkit(['detect', ...args, '--duration', '7', '--format', 'json']);
  await new Promise((r) => setTimeout(r, 4000));
  const pid = await act();
  const { code, stdout, stderr } = await cli.done;
  const matches = stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { rule: { id: string; title: string }; event: { process: { pid: number; exe: string; uid?: number; user?: string; cmdline: string } } });
  return { code, stderr, ours: matches.filter((m) => m.event.process.pid === pid) };
}

function run(cmd: string, args: string[], options: { uid?: number; gid?: number } = {}): Promise<number | undefined> {
  const child = spawn(cmd, args, { stdio: 'ignore', cwd: '/tmp', ...options });
  return new Promise((r) => child.on('close', () => r(child.pid)));
}

describe.skipIf(!isRoot)(`edrkit detect (live, project rules)${isRoot ? '' : ' — skipped: needs root for the live eBPF backend'}`, () => {
  it('a rule on User fires on a live event of that user, and the starter pack runs without --rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edrkit-user-rule-'));
    // SigmaHQ's shape for a user test (`User` is the Sysmon field; edrkit maps it to process.user).
    writeFileSync(join(dir, 'user.yml'), 'title: id run by nobody\nid: 5b0f8c2e-6d0a-4c1e-9a51-3f3c2a9d7e10\nlogsource: { product: linux, category: process_creation }\ndetection:\n  sel: { User: nobody, Image|endswith: /id }\n  condition: sel\nlevel: low\n');
    const payload = join(mkdtempSync('/tmp/edrkit-starter-live-'), 'payload');
    writeFileSync(payload, '#!/bin/sh\n');
    const [byUser, starter] = await Promise.all([
      detectLive(['--rules', dir], () => run('id', [], { uid: 65534, gid: 65534 })),
      detectLive([], () => run('chmod', ['+x', payload])),
    ]);
    expect(byUser.code, byUser.stderr).toBe(0);
    expect(byUser.ours.map((m) => [m.rule.title, m.event.process.uid, m.event.process.user])).toEqual([['id run by nobody', 65534, 'nobody']]);
    expect(starter.code, starter.stderr).toBe(0);
    expect(starter.stderr).toMatch(/starter pack edrkit-starter .* \(signature verified/);
    expect(starter.ours.map((m) => m.rule.title)).toEqual(['File in a temporary directory made executable']);
  }, 60_000);
});

describe.skipIf(reason !== undefined)(label, () => {
  it('prints one JSON match per event for the SigmaHQ nohup rule, with a summary on stderr', async () => {
    const r = await detectLive(['--rules', rule], () => run('nohup', ['true']));
    expect(r.code, r.stderr).toBe(0);
    expect(r.ours).toHaveLength(1);
    expect(r.ours[0]?.rule).toMatchObject({ id: 'e4ffe466-6ff8-48d4-94bd-e32d1a6061e2', title: 'Nohup Execution' });
    expect(r.ours[0]?.event.process.exe).toMatch(/\/nohup$/);
    expect(r.stderr).toMatch(/1 rule/);
  }, 60_000);
});
