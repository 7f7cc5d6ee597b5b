/**
 * The reproductions of issue 10 through the real `edrkit` command: hostile rules for
 * `sigma lint` and `detect`, hostile recordings for `replay --format json|ocsf|ecs`.
 * Each must end promptly with a named error or the right result, and deliver every
 * event around a bad line. (Replay only: no eBPF, not a live test.)
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { edrkit, repoRoot } from '../cli/cli-helpers.js';

const demo = resolve(repoRoot, 'examples/recordings/demo.jsonl');
const rule = (detection: string) => `title: t\nlogsource: { category: process_creation, product: linux }\ndetection:\n${detection}`;

function exec(cmdline: string, pid: number): string {
  return JSON.stringify({ kind: 'process.exec', time: 1_700_000_000_000 + pid, seq: pid, platform: 'linux', source: 'linux-ebpf', process: { pid, ppid: 1, exe: '/usr/bin/x', args: [cmdline], cmdline } });
}

describe('hostile rules', () => {
  it('sigma lint gives each hostile rule file a status and a named reason, promptly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edrkit-hostile-'));
    writeFileSync(join(dir, 'glob.yml'), rule(`  sel: { Image: /x }\n  condition: 1 of **********z\n`));
    writeFileSync(join(dir, 'parens.yml'), rule(`  sel: { Image: /x }\n  condition: ${'('.repeat(10_000)}sel${')'.repeat(10_000)}\n`));
    writeFileSync(join(dir, 'nots.yml'), rule(`  sel: { Image: /x }\n  condition: ${'not '.repeat(10_000)}sel\n`));
    writeFileSync(join(dir, 'lookahead.yml'), rule(`  sel: { CommandLine|re: 'a(?=b)' }\n  condition: sel\n`));
    writeFileSync(join(dir, 'redos.yml'), rule(`  sel: { CommandLine|re: '^(a+)+$' }\n  condition: sel\n`));
    writeFileSync(join(dir, 'latin1.yml'), Buffer.from(rule(`  sel: { Image: /caf\xe9 }\n  condition: sel\n`), 'latin1'));
    execFileSync('mkfifo', [join(dir, 'x.yml')]);
    symlinkSync('/dev/zero', join(dir, 'zero.yml'));
    const r = await edrkit(['sigma', 'lint', dir, '--format', 'json'], { timeoutMs: 30_000 });
    const report = JSON.parse(r.stdout) as { rules: Array<{ path: string; status: string; reason: string }> };
    const byFile = Object.fromEntries(report.rules.map((x) => [x.path.slice(dir.length + 1), `${x.status}: ${x.reason}`]));
    expect(byFile).toEqual({
      'glob.yml': expect.stringMatching(/^invalid: detection\.condition: '1 of \*{10}z': '\*{10}z' matches no search identifier/),
      'latin1.yml': expect.stringMatching(/^invalid: not UTF-8: invalid byte 0xe9 at byte \d+ \(line 4\)/),
      'lookahead.yml': expect.stringMatching(/^unsupported: .*lookahead/),
      'nots.yml': expect.stringMatching(/^invalid: detection\.condition: condition nests deeper than 64/),
      'parens.yml': expect.stringMatching(/^invalid: detection\.condition: condition nests deeper than 64/),
      'redos.yml': 'ok: ',
      'x.yml': 'invalid: cannot read: a FIFO, not a regular file',
      'zero.yml': 'invalid: cannot read: a character device, not a regular file',
    });
    expect(r.code).toBe(3);
  });

  it("detect runs '^(a+)+$' over a…a! command lines at once, and Ctrl-C stops it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edrkit-redos-'));
    writeFileSync(join(dir, 'redos.yml'), rule(`  sel: { CommandLine|re: '^(a+)+$' }\n  condition: sel\n`));
    const child = spawn(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', resolve(repoRoot, 'packages/edrkit/bin/edrkit.js'), 'detect', '--rules', dir, '--replay', '-', '--format', 'json'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const matched = new Promise<void>((done) =>
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('\n')) done();
      }),
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    // 200 events a backtracking engine needs a minute each for, then one that matches;
    // stdin stays open, so only Ctrl-C ends the command.
    for (let i = 1; i <= 200; i++) child.stdin.write(`${exec(`${'a'.repeat(30)}!`, i)}\n`);
    child.stdin.write(`${exec('aaaa', 201)}\n`);
    await matched;
    child.kill('SIGINT');
    const [code] = (await once(child, 'close')) as [number | null];
    clearTimeout(killer);
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n').map((l) => (JSON.parse(l) as { event: { process: { pid: number } } }).event.process.pid)).toEqual([201]);
    expect(stderr).toMatch(/1 matches from 1 rules over 201 events/);
  });
});

describe('hostile recordings', () => {
  const lines = readFileSync(demo, 'utf8').trim().split('\n');
  // A valid event with a 6000-deep array under raw.linux, spliced in after line 11.
  const deep = lines[10]!.replace('"raw":{"linux":{', `"raw":{"linux":{"deep":${'['.repeat(6000)}${']'.repeat(6000)},`);
  const dir = mkdtempSync(join(tmpdir(), 'edrkit-deep-'));
  const file = join(dir, 'deep.jsonl');
  writeFileSync(file, [...lines.slice(0, 11), deep, ...lines.slice(11)].join('\n') + '\n');

  for (const format of ['json', 'ocsf', 'ecs']) {
    it(`replay --format ${format} --on-invalid skip: the 6000-deep line is one lost event, all ${lines.length} others are written`, async () => {
      const r = await edrkit(['replay', file, '--format', format, '--on-invalid', 'skip']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.trim().split('\n')).toHaveLength(lines.length + 1); // + the sensor.lost record
      expect(r.stderr).toMatch(/warning: .*deep\.jsonl:line 12: invalid event: raw\.linux\.deep\[0\]\[0\].*nested deeper than 64 levels/);
    });
  }

  it('replay - with a 600 MB line and no newline on stdin: streamed, reported, and the lines around it written', async () => {
    const child = spawn(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', resolve(repoRoot, 'packages/edrkit/bin/edrkit.js'), 'replay', '-', '--format', 'json', '--on-invalid', 'skip'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const closed = once(child, 'close');
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const write = async (b: Buffer | string) => {
      if (!child.stdin.write(b)) await once(child.stdin, 'drain');
    };
    await write(`${lines[0]}\n`);
    const chunk = Buffer.alloc(1 << 20, 0x61); // one reused MiB: the test allocates no 600 MB either
    for (let i = 0; i < 600; i++) await write(chunk);
    await write(`\n${lines[1]}\n`);
    child.stdin.end();
    const [code] = (await closed) as [number | null];
    clearTimeout(killer);
    expect(code, stderr).toBe(0);
    expect(stdout.trim().split('\n').map((l) => (JSON.parse(l) as { kind: string }).kind)).toEqual([JSON.parse(lines[0]!).kind, 'sensor.lost', JSON.parse(lines[1]!).kind]);
    expect(stderr).toMatch(/stdin:line 2: invalid event: line is longer than 16777216 bytes \(629145600 bytes; not read\)/);
  });
});
