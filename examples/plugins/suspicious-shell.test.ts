/**
 * The example plugin (kept outside its folder, so a copy of the folder is exactly the package), signed with a key generated here (no private key is committed),
 * verified and run over its sample recording through the plugin host.
 */
import { cpSync } from 'node:fs';
import path from 'node:path';
import { openSensor, ReplayBackend } from '@edrkit/core';
import { generateKeyPair, loadPluginPackage, PluginHost, signPackage, type PluginAlert } from '@edrkit/plugins';
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';

const here = path.join(import.meta.dirname, 'suspicious-shell');

describe('examples/plugins/suspicious-shell', () => {
  it('signs, verifies and alerts on the shells started by php-fpm and java in sample.jsonl', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'edrkit-example-')), 'suspicious-shell');
    cpSync(here, dir, { recursive: true });
    const { publicKey, secretKey } = generateKeyPair();
    signPackage(dir, secretKey);
    const pkg = loadPluginPackage(dir, { keys: [publicKey] });
    expect(pkg.manifest.name).toBe('suspicious-shell');

    const host = new PluginHost();
    const alerts: PluginAlert[] = [];
    host.on('alert', (a) => alerts.push(a));
    await host.add(pkg);
    await host.attach(await openSensor({ backend: new ReplayBackend({ path: path.join(dir, 'sample.jsonl') }) }));
    await host.close();
    expect(alerts.map((a) => a.alert.title)).toEqual(['shell sh started by php-fpm8.2', 'shell dash started by java']);
    expect(alerts.map((a) => a.event?.seq)).toEqual([2, 4]);
  });
});
