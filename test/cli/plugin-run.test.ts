// `edrkit plugin run NAME` of an installed plugin, and the example package as its README
// builds it (`cp -r` of the folder, then sign): only the plugin's own files get signed.
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edrkit, repoRoot } from './cli-helpers.js';

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
  }, 60_000);
});
