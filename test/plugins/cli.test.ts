/**
 * `edrkit plugin …` end to end, in a child process per command (as a user runs it),
 * against a temporary EDRKIT_HOME, with the real minisign binary checking our signature.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const example = path.join(root, 'examples/plugins/suspicious-shell');
let home = mkdtempSync(path.join(tmpdir(), 'edrkit-cli-home-'));
const work = mkdtempSync(path.join(tmpdir(), 'edrkit-cli-work-'));

function edrkit(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['--conditions=@edrkit/source', '--import', 'tsx', '--input-type=module', '-e', `import { main } from '@edrkit/cli'; import { backends } from 'edrkit'; process.exitCode = await main(${JSON.stringify(args)}, { backends });`],
    { cwd: root, env: { ...process.env, EDRKIT_HOME: home }, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const minisign = spawnSync('minisign', ['-v']).status === 0;

describe('edrkit plugin (CLI)', () => {
  it('keygen, sign, verify, run --replay, trust, install, list; tampering and failures are reported', () => {
    const key = path.join(work, 'publisher');
    const dir = path.join(work, 'suspicious-shell');
    cpSync(example, dir, { recursive: true, filter: (src) => !src.endsWith('.test.ts') });

    const keygen = edrkit('plugin', 'keygen', '-o', key);
    expect(keygen.status).toBe(0);
    expect(keygen.stderr).toContain('not password-protected');
    expect(edrkit('plugin', 'keygen', '-o', key).status).toBe(2);

    expect(edrkit('plugin', 'sign', dir, '--key', `${key}.key`).status).toBe(0);
    const verify = edrkit('plugin', 'verify', dir, '--key', `${key}.pub`);
    expect(verify.status, verify.stderr).toBe(0);
    if (minisign) expect(spawnSync('minisign', ['-V', '-p', `${key}.pub`, '-m', path.join(dir, 'edrkit-plugin.json')]).status).toBe(0);

    const run = edrkit('plugin', 'run', dir, '--key', `${key}.pub`, '--replay', path.join(dir, 'sample.jsonl'), '--format', 'json');
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { plugin: string; alert: { title: string }; event: { seq: number } });
    expect(lines.map((l) => [l.plugin, l.alert.title, l.event.seq])).toEqual([
      ['suspicious-shell', 'shell sh started by php-fpm8.2', 2],
      ['suspicious-shell', 'shell dash started by java', 4],
    ]);

    const untrusted = edrkit('plugin', 'install', dir);
    expect(untrusted.status).toBe(1);
    expect(untrusted.stderr).toContain('ERR_PLUGIN_UNTRUSTED_KEY');
    expect(edrkit('plugin', 'trust', `${key}.pub`, '--name', 'suspicious-shell').status).toBe(0);
    expect(edrkit('plugin', 'install', dir).status).toBe(0);
    expect(edrkit('plugin', 'list').stdout).toContain('suspicious-shell 1.0.0');

    appendFileSync(path.join(dir, 'index.js'), '\n// one more line\n');
    const tampered = edrkit('plugin', 'verify', dir, '--key', `${key}.pub`);
    expect(tampered.status).toBe(1);
    expect(tampered.stderr).toMatch(/^edrkit: .*'index.js' does not match its signed digest.*\[ERR_PLUGIN_TAMPERED\]\n$/);
  }, 120_000);

  it('run reports a crashing plugin on stderr and still finishes the replay', () => {
    // A fresh home: the first test installed suspicious-shell 1.0.0, and anti-rollback would
    // (rightly) refuse this other build of 1.0.0.
    home = mkdtempSync(path.join(tmpdir(), 'edrkit-cli-home-'));
    const key = path.join(work, 'k2');
    const dir = path.join(work, 'crasher');
    cpSync(example, dir, { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
    // A hostile build of the example: it exits the process on the second exec event.
    writeFileSync(path.join(dir, 'index.js'), `export function onEvent(event) { if (event.seq === 2) process.exit(9); }\n`);
    expect(edrkit('plugin', 'keygen', '-o', key).status).toBe(0);
    expect(edrkit('plugin', 'sign', dir, '--key', `${key}.key`).status).toBe(0);
    const run = edrkit('plugin', 'run', dir, '--key', `${key}.pub`, '--replay', path.join(dir, 'sample.jsonl'), '--batch-size', '1');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/plugin suspicious-shell 1\.0\.0 failed \(exit\): the plugin process exited with code 9/);
    // It restarts and handles the remaining events.
    expect(run.stderr).toMatch(/: 4 event\(s\), 0 alert\(s\), 0 error\(s\), 1 failure\(s\), 1 event\(s\) not handled, state stopped/);
  }, 120_000);
});
