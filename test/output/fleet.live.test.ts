// The fleet's Done-when, live (root, real eBPF): `edrkit watch --output nats://…` on this host
// and `edrkit detect --input nats://…` in another process fire the same alerts, for the same
// behaviour, as a local `edrkit detect`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseEvent } from '@edrkit/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startEdrkit } from '../cli/cli-helpers.js';
import { NatsFixture, natsSkipReason } from './nats-server.js';

const isRoot = process.getuid?.() === 0;
const reason = !isRoot ? 'needs root for the live eBPF backend' : natsSkipReason;
const dir = mkdtempSync(join(tmpdir(), 'edrkit-fleet-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULES = [
  'title: id run by nobody\nid: 7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f\nlogsource: { product: linux, category: process_creation }\ndetection:\n  sel: { User: nobody, Image|endswith: /id }\n  condition: sel\nlevel: low\n',
  'title: uname with all flags\nid: 1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d\nlogsource: { product: linux, category: process_creation }\ndetection:\n  sel: { Image|endswith: /uname, CommandLine|contains: " -a" }\n  condition: sel\nlevel: medium\n',
];

function run(cmd: string, args: string[], options: { uid?: number; gid?: number } = {}): Promise<number | undefined> {
  const child = spawn(cmd, args, { stdio: 'ignore', cwd: '/tmp', ...options });
  return new Promise((r) => child.on('close', () => r(child.pid)));
}

type Match = { rule: { title: string }; event: { kind: string; process: { pid: number; exe: string; cmdline: string } } };
const ours = (stdout: string, pids: Array<number | undefined>) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Match)
    .filter((m) => pids.includes(m.event.process.pid))
    .map((m) => [m.rule.title, m.event.kind, m.event.process.pid, m.event.process.exe, m.event.process.cmdline])
    .sort();

describe.skipIf(reason)(`fleet: watch → JetStream → detect (live)${reason ? ` — skipped: ${reason}` : ''}`, () => {
  it('detect --input nats:// fires the same alerts as a local detect for the same behaviour', async () => {
    const nats = await NatsFixture.start(1);
    try {
      RULES.forEach((r, i) => writeFileSync(join(dir, `rule${i}.yml`), r));
      const watch = startEdrkit(['watch', '--output', nats.url, '--spool', join(dir, 'spool'), '--host', 'live-a', '--kinds', 'process.exec', '--duration', '9']);
      const local = startEdrkit(['detect', '--rules', dir, '--format', 'json', '--duration', '9']);
      await sleep(4000); // both sensors attached; the watch has created the stream
      const remote = startEdrkit(['detect', '--input', nats.url, '--durable', 'live', '--rules', dir, '--format', 'json', '--duration', '30']);
      await sleep(1500);
      const pids = [await run('id', [], { uid: 65534, gid: 65534 }), await run('uname', ['-a']), await run('uname', ['-r'])];
      const [w, l] = await Promise.all([watch.done, local.done]);
      expect(w.code, w.stderr).toBe(0);
      expect(w.stderr).toMatch(/output nats: \d+ written, \d+ delivered, 0 pending, 0 lost/);
      expect(l.code, l.stderr).toBe(0);
      const expected = ours(l.stdout, pids);
      expect(expected.map((m) => m[0])).toEqual(['id run by nobody', 'uname with all flags']);
      for (let t = 0; t < 50 && ours(remote.stdout(), pids).length < expected.length; t++) await sleep(200);
      remote.child.kill('SIGTERM');
      const r = await remote.done;
      expect(r.code, r.stderr).toBe(0);
      expect(ours(r.stdout, pids)).toEqual(expected);
    } finally {
      await nats.close();
    }
  }, 90_000);

  it('watch --output file:PATH writes rotated JSON Lines of valid events', async () => {
    const out = join(dir, 'files');
    mkdirSync(out);
    const watch = startEdrkit(['watch', '--output', `file:${join(out, 'events.jsonl')}`, '--rotate-size', '4k', '--kinds', 'process.exec,process.exit', '--duration', '4']);
    await sleep(2500);
    for (let i = 0; i < 10; i++) await run('true', []);
    const w = await watch.done;
    expect(w.code, w.stderr).toBe(0);
    const files = readdirSync(out);
    expect(files.length).toBeGreaterThan(1);
    const events = files.flatMap((f) => readFileSync(join(out, f), 'utf8').split('\n').filter(Boolean).map((l) => parseEvent(JSON.parse(l))));
    expect(events.filter((e) => e.kind === 'process.exec' && e.process.exe.endsWith('/true')).length).toBeGreaterThanOrEqual(10);
    expect(w.stderr).toMatch(new RegExp(`output file: ${events.length} written, ${events.length} delivered, 0 pending, 0 lost`));
  }, 60_000);
});
