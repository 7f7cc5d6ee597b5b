/**
 * The "done when": every hostile plugin is refused or contained with its error
 * code, while a replay through the host completes and a well-behaved plugin beside it
 * still alerts.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openSensor, ReplayBackend, type EdrEvent } from '@edrkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { loadPluginPackage } from '../package/plugin-package.js';
import { generateKeyPair } from '../signing/keys.js';
import { GOOD_PLUGIN_CONFIG, GOOD_PLUGIN_SOURCE, sampleEvents, tmpDir, writeRecording, writeSignedPlugin, type PluginSpec } from '../testing/fixtures.js';
import { TrustStore } from '../trust/trust-store.js';
import { PluginHost } from './plugin-host.js';
import type { PluginAlert, PluginEventError, PluginFailure, PluginQuarantine } from './types.js';

const publisher = generateKeyPair();
const stranger = generateKeyPair();
const TEST_POLICY = {
  batchTimeoutMs: 3_000,
  heartbeatMs: 100,
  heartbeatTimeoutMs: 2_000,
  memoryLimitMb: 48,
  rssLimitMb: 400,
  backoffMs: 20,
  maxFailures: 3,
  startTimeoutMs: 20_000,
};
const EVENTS = sampleEvents(30);
const SHELL_EVENTS = EVENTS.filter((e) => e.kind === 'process.exec' && e.process.exe === '/bin/sh').length;

const good: PluginSpec = { name: 'good', source: GOOD_PLUGIN_SOURCE, ...GOOD_PLUGIN_CONFIG };
const hostile: Record<string, PluginSpec> = {
  throws: { name: 'throws', source: `export function onEvent(e) { throw new Error('boom at ' + e.seq); }` },
  hangs: { name: 'hangs', source: `export function onEvent(e) { for (;;) {} }` },
  memory: { name: 'memory', source: `export function onEvent() { const keep = []; for (;;) keep.push(new Array(1e5).fill(Math.random())); }` },
  exits: { name: 'exits', source: `export function onEvent() { process.exit(3); }` },
};

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof PluginError) return error.code;
    throw error;
  }
  return 'accepted';
}

interface RunResult {
  alerts: PluginAlert[];
  errors: PluginEventError[];
  failures: PluginFailure[];
  quarantines: PluginQuarantine[];
  host: PluginHost;
}

async function replayThroughHost(store: TrustStore, dirs: string[], recording: string): Promise<RunResult> {
  const host = new PluginHost({ trustStore: store, ...TEST_POLICY });
  const result: RunResult = { alerts: [], errors: [], failures: [], quarantines: [], host };
  host.on('alert', (a) => result.alerts.push(a));
  host.on('eventError', (e) => result.errors.push(e));
  host.on('failure', (f) => result.failures.push(f));
  host.on('quarantine', (q) => result.quarantines.push(q));
  for (const dir of dirs) await host.add(loadPluginPackage(dir, { trustStore: store }));
  const sensor = await openSensor({ backend: new ReplayBackend({ path: recording }) });
  await host.attach(sensor, { batchSize: 5 });
  return result;
}

describe('hostile plugins at run time are contained', () => {
  let run: RunResult;
  let home: string;
  let dirs: string[];
  beforeAll(async () => {
    home = tmpDir();
    const store = TrustStore.open(home);
    store.trust(publisher.publicKey, { names: ['*'] });
    const root = tmpDir();
    dirs = [good, ...Object.values(hostile)].map((spec) => writeSignedPlugin(root, spec, publisher.secretKey));
    run = await replayThroughHost(store, dirs, writeRecording(path.join(root, 'rec.jsonl'), EVENTS));
  }, 120_000);
  afterAll(async () => run?.host.close());

  it('the replay completes and the well-behaved plugin alerts on every shell', () => {
    const goodStats = run.host.stats().plugins.find((p) => p.plugin === 'good');
    expect(goodStats).toMatchObject({ state: 'running', events: EVENTS.length, failures: 0, alerts: SHELL_EVENTS });
    expect(run.alerts.filter((a) => a.plugin === 'good')).toHaveLength(SHELL_EVENTS);
    const first = run.alerts[0];
    expect(first?.alert).toEqual({ title: 'shell started', severity: 'medium', details: { exe: '/bin/sh' } });
    expect(first?.event?.kind).toBe('process.exec');
    expect(run.host.stats().events).toBe(EVENTS.length);
  });

  it('an exception in onEvent is reported with its event and the plugin keeps receiving events', () => {
    const errors = run.errors.filter((e) => e.plugin === 'throws');
    expect(errors).toHaveLength(EVENTS.length);
    expect(errors[4]?.message).toBe(`boom at ${errors[4]?.event?.seq}`);
    expect(run.host.stats().plugins.find((p) => p.plugin === 'throws')).toMatchObject({ state: 'running', events: EVENTS.length, failures: 0, eventErrors: EVENTS.length });
  });

  it.each([
    ['hangs', ['timeout', 'heartbeat']],
    ['memory', ['memory']],
    ['exits', ['exit']],
  ])('%s: killed, reported, restarted with backoff, then quarantined', (name, reasons) => {
    const failures = run.failures.filter((f) => f.plugin === name);
    expect(failures).toHaveLength(TEST_POLICY.maxFailures);
    for (const f of failures) expect(reasons).toContain(f.reason);
    expect(failures.map((f) => f.willRestart)).toEqual([true, true, false]);
    expect(failures[1]?.restartInMs).toBe(2 * (failures[0]?.restartInMs ?? 0));
    expect(run.quarantines.find((q) => q.plugin === name)).toMatchObject({ version: '1.0.0', restoredVersion: undefined });
    const stats = run.host.stats().plugins.find((p) => p.plugin === name);
    expect(stats).toMatchObject({ state: 'quarantined', failures: 3, restarts: 2 });
    // Every event is accounted for: handled or counted as lost.
    expect((stats?.events ?? 0) + (stats?.lostEvents ?? 0) + (stats?.skippedEvents ?? 0)).toBe(EVENTS.length);
  });

  it('quarantine is persisted and refuses the build on the next load', () => {
    const reopened = TrustStore.open(home);
    expect(reopened.quarantined().map((q) => q.name).sort()).toEqual(['exits', 'hangs', 'memory']);
    const exitsDir = dirs.find((d) => path.basename(d).startsWith('exits-')) as string;
    expect(refusal(() => loadPluginPackage(exitsDir, { trustStore: reopened }))).toBe('ERR_PLUGIN_QUARANTINED');
    reopened.release('exits');
    expect(refusal(() => loadPluginPackage(exitsDir, { trustStore: TrustStore.open(home) }))).toBe('accepted');
  });
});

describe('hostile packages are refused before they run', () => {
  it('refuses each hostile package with its error code; the host still completes a replay with the good plugin', async () => {
    const home = tmpDir();
    const store = TrustStore.open(home);
    store.trust(publisher.publicKey, { names: ['*'] });
    const root = tmpDir();
    const sign = (spec: PluginSpec) => writeSignedPlugin(root, spec, publisher.secretKey);
    const base: PluginSpec = { name: 'victim', source: GOOD_PLUGIN_SOURCE, ...GOOD_PLUGIN_CONFIG, extraFiles: { 'rules/list.txt': 'sh\nbash\n' } };
    const codes: Record<string, string> = {};

    codes.missingField = refusal(() => loadPluginPackage(sign({ ...base, name: 'missing', patch: ({ kinds: _, ...m }) => m }), { trustStore: store }));
    codes.extraField = refusal(() => loadPluginPackage(sign({ ...base, name: 'extra', patch: (m) => ({ ...m, permissions: 'all' }) }), { trustStore: store }));

    for (const file of ['index.js', 'rules/list.txt', 'edrkit-plugin.json', 'edrkit-plugin.json.minisig']) {
      const dir = sign({ ...base, name: `tamper-${file.replace(/[^a-z]/g, '')}` });
      const target = path.join(dir, file);
      const bytes = (await import('node:fs')).readFileSync(target);
      // Change one byte in the middle of the file (for the signature: in its base64 body).
      const at = file.endsWith('.minisig') ? bytes.indexOf(10) + 20 : Math.floor(bytes.length / 2);
      bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
      writeFileSync(target, bytes);
      codes[`tamper:${file}`] = refusal(() => loadPluginPackage(dir, { trustStore: store }));
    }
    const extraFileDir = sign({ ...base, name: 'smuggled' });
    writeFileSync(path.join(extraFileDir, 'payload.js'), 'export {}');
    codes.unlistedFile = refusal(() => loadPluginPackage(extraFileDir, { trustStore: store }));
    const noSig = sign({ ...base, name: 'unsigned' });
    rmSync(path.join(noSig, 'edrkit-plugin.json.minisig'));
    codes.unsigned = refusal(() => loadPluginPackage(noSig, { trustStore: store }));

    codes.wrongKey = refusal(() => loadPluginPackage(writeSignedPlugin(root, { ...base, name: 'wrongkey' }, stranger.secretKey), { trustStore: store }));
    codes.wrongExplicitKey = refusal(() => loadPluginPackage(sign({ ...base, name: 'wrongkey2' }), { keys: [stranger.publicKey] }));

    const revokedKey = generateKeyPair();
    store.trust(revokedKey.publicKey, { names: ['*'] });
    const byRevoked = writeSignedPlugin(root, { ...base, name: 'revoked' }, revokedKey.secretKey);
    expect(refusal(() => loadPluginPackage(byRevoked, { trustStore: store }))).toBe('accepted');
    store.revokeKey(revokedKey.publicKey.keyIdHex, 'key leaked');
    codes.revokedKey = refusal(() => loadPluginPackage(byRevoked, { trustStore: store }));
    // Revocation applies even when the key is passed explicitly.
    codes.revokedKeyExplicit = refusal(() => loadPluginPackage(byRevoked, { keys: [revokedKey.publicKey], trustStore: store }));

    const revokedBuild = sign({ ...base, name: 'badbuild' });
    store.revokeDigest(loadPluginPackage(revokedBuild, { trustStore: store }).digest, 'bad rule');
    codes.revokedDigest = refusal(() => loadPluginPackage(revokedBuild, { trustStore: store }));

    const expiring = generateKeyPair();
    store.trust(expiring.publicKey, { names: ['*'], expires: new Date(Date.now() - 1000) });
    codes.expired = refusal(() => loadPluginPackage(writeSignedPlugin(root, { ...base, name: 'expired' }, expiring.secretKey), { trustStore: store }));

    const scoped = generateKeyPair();
    store.trust(scoped.publicKey, { names: ['acme-*'] });
    expect(refusal(() => loadPluginPackage(writeSignedPlugin(root, { ...base, name: 'acme-ok' }, scoped.secretKey), { trustStore: store }))).toBe('accepted');
    codes.nameNotAllowed = refusal(() => loadPluginPackage(writeSignedPlugin(root, { ...base, name: 'other' }, scoped.secretKey), { trustStore: store }));

    store.install(loadPluginPackage(sign({ ...base, name: 'rolling', version: '2.0.0' }), { trustStore: store }));
    codes.downgrade = refusal(() => loadPluginPackage(sign({ ...base, name: 'rolling', version: '1.9.9' }), { trustStore: store }));
    codes.sameVersionOtherBytes = refusal(() => loadPluginPackage(sign({ ...base, name: 'rolling', version: '2.0.0', source: `${GOOD_PLUGIN_SOURCE}\n// changed` }), { trustStore: store }));
    codes.badConfig = refusal(() => loadPluginPackage(sign({ ...base, name: 'badconfig', defaultConfig: { shells: 'sh' } }), { trustStore: store }));
    codes.apiRange = refusal(() => loadPluginPackage(sign({ ...base, name: 'future', patch: (m) => ({ ...m, api: '^2.0.0' }) }), { trustStore: store }));

    expect(codes).toEqual({
      missingField: 'ERR_PLUGIN_MANIFEST',
      extraField: 'ERR_PLUGIN_MANIFEST',
      'tamper:index.js': 'ERR_PLUGIN_TAMPERED',
      'tamper:rules/list.txt': 'ERR_PLUGIN_TAMPERED',
      'tamper:edrkit-plugin.json': 'ERR_PLUGIN_BAD_SIGNATURE',
      'tamper:edrkit-plugin.json.minisig': 'ERR_PLUGIN_BAD_SIGNATURE',
      unlistedFile: 'ERR_PLUGIN_TAMPERED',
      unsigned: 'ERR_PLUGIN_BAD_SIGNATURE',
      wrongKey: 'ERR_PLUGIN_UNTRUSTED_KEY',
      wrongExplicitKey: 'ERR_PLUGIN_UNTRUSTED_KEY',
      revokedKey: 'ERR_PLUGIN_REVOKED',
      revokedKeyExplicit: 'ERR_PLUGIN_REVOKED',
      revokedDigest: 'ERR_PLUGIN_REVOKED',
      expired: 'ERR_PLUGIN_EXPIRED',
      nameNotAllowed: 'ERR_PLUGIN_UNTRUSTED_KEY',
      downgrade: 'ERR_PLUGIN_DOWNGRADE',
      sameVersionOtherBytes: 'ERR_PLUGIN_DOWNGRADE',
      badConfig: 'ERR_PLUGIN_CONFIG',
      apiRange: 'ERR_PLUGIN_API',
    });

    // The host is unaffected: a replay completes and the good plugin alerts.
    const run = await replayThroughHost(store, [sign(good)], writeRecording(path.join(root, 'rec.jsonl'), EVENTS));
    expect(run.alerts).toHaveLength(SHELL_EVENTS);
    expect(run.failures).toHaveLength(0);
    await run.host.close();
  }, 60_000);
});

export type { EdrEvent };
