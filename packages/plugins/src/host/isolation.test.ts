import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPluginPackage } from '../package/plugin-package.js';
import { generateKeyPair } from '../signing/keys.js';
import { GOOD_PLUGIN_CONFIG, GOOD_PLUGIN_SOURCE, sampleEvents, tmpDir, writeSignedPlugin } from '../testing/fixtures.js';
import { TrustStore } from '../trust/trust-store.js';
import { permissionFlag } from './node-flags.js';
import { PluginHost } from './plugin-host.js';
import type { PluginAlert, PluginQuarantine } from './types.js';

const { publicKey, secretKey } = generateKeyPair();
const POLICY = { batchTimeoutMs: 3_000, heartbeatMs: 100, heartbeatTimeoutMs: 2_000, backoffMs: 20, startTimeoutMs: 20_000 };
let host: PluginHost | undefined;
afterEach(async () => host?.close());

describe('isolation', () => {
  it('runs the verified bytes, not what is on disk later', async () => {
    const dir = writeSignedPlugin(tmpDir(), { name: 'swap', source: GOOD_PLUGIN_SOURCE, ...GOOD_PLUGIN_CONFIG }, secretKey);
    const pkg = loadPluginPackage(dir, { keys: [publicKey] });
    // An attacker swaps the entry after verification: the host never reads it again.
    writeFileSync(path.join(dir, 'index.js'), `export function onEvent(e, ctx) { ctx.alert({ title: 'swapped', severity: 'critical' }); }`);
    host = new PluginHost(POLICY);
    const alerts: PluginAlert[] = [];
    host.on('alert', (a) => alerts.push(a));
    await host.add(pkg);
    await host.deliver(sampleEvents(3));
    expect(alerts.map((a) => a.alert.title)).toEqual(['shell started']);
  });

  it.skipIf(permissionFlag() === undefined)('a plugin has no file system or child process access (Node permission model)', async () => {
    const source = `
      export async function onEvent(event, ctx) {
        const results = {};
        try { (await import('node:fs')).readFileSync('/etc/hostname'); results.fs = 'allowed'; } catch (e) { results.fs = e.code; }
        try { (await import('node:child_process')).execSync('true'); results.exec = 'allowed'; } catch (e) { results.exec = e.code; }
        results.env = Object.keys(process.env).length;
        ctx.alert({ title: 'probe', severity: 'info', details: results });
      }`;
    const dir = writeSignedPlugin(tmpDir(), { name: 'probe', source }, secretKey);
    host = new PluginHost(POLICY);
    const alerts: PluginAlert[] = [];
    host.on('alert', (a) => alerts.push(a));
    await host.add(loadPluginPackage(dir, { keys: [publicKey] }));
    await host.deliver(sampleEvents(1));
    expect(alerts[0]?.alert.details).toEqual({ fs: 'ERR_ACCESS_DENIED', exec: 'ERR_ACCESS_DENIED', env: 0 });
    expect(host.stats().plugins[0]?.sandbox.permission).toBe('held');
  });

  it('refuses undeclared capabilities and malformed alerts without stopping the plugin', async () => {
    const source = `export function onEvent(e, ctx) { if (e.seq === 1) ctx.alert({ title: '', severity: 'apocalyptic' }); else ctx.log.info('no log capability'); }`;
    const dir = writeSignedPlugin(tmpDir(), { name: 'sloppy', source, capabilities: ['alert'] }, secretKey);
    host = new PluginHost(POLICY);
    const errors: string[] = [];
    host.on('eventError', (e) => errors.push(e.message));
    await host.add(loadPluginPackage(dir, { keys: [publicKey] }));
    await host.deliver(sampleEvents(3));
    expect(errors).toEqual([expect.stringContaining("capability 'log'"), expect.stringContaining("capability 'log'")]);
    expect(host.stats().plugins[0]).toMatchObject({ state: 'running', invalidAlerts: 1, alerts: 0, events: 3 });
  });

  it('a plugin whose setup() throws is reported and, failing again, quarantined', async () => {
    const dir = writeSignedPlugin(tmpDir(), { name: 'nosetup', source: `export function setup() { throw new Error('no config'); } export function onEvent() {}` }, secretKey);
    host = new PluginHost({ ...POLICY, maxFailures: 2 });
    const reasons: string[] = [];
    host.on('failure', (f) => reasons.push(`${f.reason}: ${f.message}`));
    await host.add(loadPluginPackage(dir, { keys: [publicKey] }));
    await host.deliver(sampleEvents(2));
    expect(reasons).toEqual(['setup: loading the plugin failed: no config', 'setup: loading the plugin failed: no config']);
    expect(host.stats().plugins[0]?.state).toBe('quarantined');
  });

  it('restores the last-known-good version when the new one is quarantined', async () => {
    const home = tmpDir();
    const store = TrustStore.open(home);
    store.trust(publicKey, { names: ['detector'] });
    const root = tmpDir();
    const v1 = writeSignedPlugin(root, { name: 'detector', version: '1.0.0', source: GOOD_PLUGIN_SOURCE, ...GOOD_PLUGIN_CONFIG }, secretKey);
    const v2 = writeSignedPlugin(root, { name: 'detector', version: '2.0.0', source: `export function onEvent() { process.exit(1); }`, ...GOOD_PLUGIN_CONFIG }, secretKey);
    store.install(loadPluginPackage(v1, { trustStore: store }));

    // v1 runs cleanly and becomes last-known-good.
    host = new PluginHost({ ...POLICY, trustStore: store, goodAfterBatches: 1 });
    await host.add(loadPluginPackage(store.installDir('detector', '1.0.0'), { trustStore: store }));
    await host.deliver(sampleEvents(3));
    await host.close();
    expect(store.installed('detector')?.lastKnownGood).toBe('1.0.0');

    // v2 is installed and fails on every batch.
    const dir2 = store.install(loadPluginPackage(v2, { trustStore: store }));
    host = new PluginHost({ ...POLICY, trustStore: store, maxFailures: 2 });
    const alerts: PluginAlert[] = [];
    const quarantines: PluginQuarantine[] = [];
    host.on('alert', (a) => alerts.push(a));
    host.on('quarantine', (q) => quarantines.push(q));
    await host.add(loadPluginPackage(dir2, { trustStore: store }));
    for (let i = 0; i < 4; i++) await host.deliver(sampleEvents(3));
    expect(quarantines).toEqual([expect.objectContaining({ plugin: 'detector', version: '2.0.0', restoredVersion: '1.0.0' })]);
    expect(alerts.length).toBeGreaterThanOrEqual(1);
    expect(alerts.every((a) => a.version === '1.0.0')).toBe(true);
    expect(host.stats().plugins[0]).toMatchObject({ version: '1.0.0', state: 'running' });
    expect(TrustStore.open(home).installed('detector')?.active).toBe('1.0.0');
  }, 60_000);
});
