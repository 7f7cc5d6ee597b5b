/**
 * `edrkit watch --duration S` as a person at a terminal sees it (root only): how long after
 * its deadline the command exits, and how long the kernel keeps the programs after that
 * (released in the background by the teardown helper, see packages/cli/src/release.ts).
 * Goal: the exit comes within 0.5 s of the deadline.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

type Row = Record<string, string | number>;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function progIds(): Set<number> {
  const out = execFileSync('bpftool', ['-j', 'prog', 'list'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return new Set((JSON.parse(out) as { id: number; name?: string }[]).filter((p) => String(p.name ?? '').startsWith('edrkit')).map((p) => p.id));
}

async function once(seconds: number): Promise<Row> {
  const before = progIds();
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'packages/edrkit/bin/edrkit.js'), 'watch', '--format', 'json', '--duration', String(seconds)], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // The deadline counts from the moment the programs are attached (when the sensor starts streaming).
  let attachedAt = 0;
  let mine: number[] = [];
  const poll = setInterval(() => {
    if (attachedAt) return;
    const now = [...progIds()].filter((id) => !before.has(id));
    if (now.length) [attachedAt, mine] = [performance.now(), now];
  }, 20);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  const exitedAt = performance.now();
  clearInterval(poll);
  while (mine.some((id) => progIds().has(id)) && performance.now() - exitedAt < 30_000) await new Promise((r) => setTimeout(r, 100));
  const releasedAt = performance.now();
  const overshoot = attachedAt ? (exitedAt - attachedAt) / 1000 - seconds : NaN;
  return {
    case: `watch --duration ${seconds}`,
    'exit code': code ?? -1,
    'start to attach s': attachedAt ? (attachedAt - t0) / 1000 : NaN,
    'exit after deadline s': overshoot,
    'goal ≤ 0.5 s': overshoot <= 0.5 ? 'met' : 'MISSED',
    'programs released after exit s': (releasedAt - exitedAt) / 1000,
    stats: /received = .*?\+ (\d+) unsent/.test(stderr) ? 'ok' : 'missing',
  };
}

export async function run(): Promise<Row[]> {
  if (process.getuid?.() !== 0) return [{ case: 'watch --duration', skipped: 'needs root for the live eBPF backend' }];
  return [await once(2), await once(1)];
}
