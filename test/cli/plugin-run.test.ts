// `edrkit plugin run NAME` of an installed plugin, and the example package as its README
// builds it (`cp -r` of the folder, then sign): only the plugin's own files get signed.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edrkit, repoRoot, startEdrkit } from './cli-helpers.js';

const isRoot = process.getuid?.() === 0;

describe('edrkit plugin run NAME (installed)', () => {
  it('follows the example README: sign a copy of the folder, trust, install, run by name', async () => {
    const work = mkdtempSync(join(tmpdir(), 'edrkit-plugin-run-'));
    const env = { EDRKIT_HOME: join(work, 'home') };
    const dir = join(work, 'ss');
    cpSync(join(repoRoot, 'examples/plugins/suspicious-shell'), dir, { recursive: true });
    const key = join(work, 'example');
    expect((await edrkit(['plugin', 'keygen', '-o', key], { env })).code).toBe(0);
    expect((await edrkit(['plugin', 'sign', dir, '--key', `${key}.key`], { env })).code).toBe(0);
    const signed = Object.keys((JSON.parse(readFileSync(join(dir, 'edrkit-plugin.json'), 'utf8')) as { files: Record<string, string> }).files).sort();
    expect(signed).toEqual(['README.md', 'index.js', 'sample.jsonl']);
    expect((await edrkit(['plugin', 'trust', `${key}.pub`, '--name', 'suspicious-shell'], { env })).code).toBe(0);
    const install = await edrkit(['plugin', 'install', dir], { env });
    expect(install.code, install.stderr).toBe(0);

    const run = await edrkit(['plugin', 'run', 'suspicious-shell', '--replay', join(dir, 'sample.jsonl')], { env });
    expect(run.code, run.stderr).toBe(0);
    const alerts = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { plugin: string; alert: { title: string } });
    expect(alerts.map((a) => a.alert.title)).toEqual(['shell sh started by php-fpm8.2', 'shell dash started by java']);

    const missing = await edrkit(['plugin', 'run', 'no-such-plugin', '--replay', join(dir, 'sample.jsonl')], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("'no-such-plugin' is neither a plugin directory nor an installed plugin (installed: suspicious-shell");

    // --allow-network grants only a declared capability of the plugin being run.
    const undeclared = await edrkit(['plugin', 'run', 'suspicious-shell', '--allow-network', 'suspicious-shell', '--replay', join(dir, 'sample.jsonl')], { env });
    expect(undeclared.code).toBe(2);
    expect(undeclared.stderr).toContain("--allow-network suspicious-shell: its manifest does not declare the 'network' capability");
    const other = await edrkit(['plugin', 'run', 'suspicious-shell', '--allow-network', 'someone-else', '--replay', join(dir, 'sample.jsonl')], { env });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("the plugin being run is 'suspicious-shell'");
  }, 60_000);
});

describe.skipIf(!isRoot)(`edrkit plugin run over live events${isRoot ? '' : ' — skipped: needs root for the live eBPF backend'}`, () => {
  it('stops on SIGHUP like watch: exit 0 and the plugin stats line', async () => {
    const work = mkdtempSync(join(tmpdir(), 'edrkit-plugin-hup-'));
    const dir = join(work, 'ss');
    cpSync(join(repoRoot, 'examples/plugins/suspicious-shell'), dir, { recursive: true });
    const key = join(work, 'k');
    expect((await edrkit(['plugin', 'keygen', '-o', key])).code).toBe(0);
    expect((await edrkit(['plugin', 'sign', dir, '--key', `${key}.key`])).code).toBe(0);
    const cli = startEdrkit(['plugin', 'run', dir, '--key', `${key}.pub`], { env: { EDRKIT_HOME: join(work, 'home') } });
    await new Promise((r) => setTimeout(r, 3000));
    cli.child.kill('SIGHUP');
    const r = await cli.done;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/suspicious-shell 1\.0\.0: \d+ event\(s\), \d+ alert\(s\), 0 error\(s\), 0 failure\(s\)/);
  }, 30_000);
});
