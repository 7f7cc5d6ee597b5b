import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { signPackage } from '../package/sign.js';
import { generateKeyPair } from '../signing/keys.js';
import { tmpDir } from '../testing/fixtures.js';
import { TrustStore } from '../trust/trust-store.js';
import { loadContentPack } from './content-manifest.js';
import { chooseContentVersion, rolloutRing } from './rollout.js';

// Sigma rules the project writes itself (the CLI's starter pack), re-signed here with a test key.
const sigmaDir = path.resolve(import.meta.dirname, '../../../cli/content/starter-rules/rules');
const { publicKey, secretKey } = generateKeyPair();

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'accepted';
  } catch (error) {
    if (error instanceof PluginError) return error.code;
    throw error;
  }
}

describe('signed Sigma content packs', () => {
  it('signs a real Sigma rule set, verifies it, installs it and refuses one changed byte or a downgrade', () => {
    const pack = tmpDir();
    cpSync(sigmaDir, path.join(pack, 'rules'), { recursive: true });
    writeFileSync(path.join(pack, 'edrkit-content.json'), JSON.stringify({ name: 'sigma-linux', version: '1.1.0', format: 'sigma', files: {} }));
    const info = signPackage(pack, secretKey, { manifestName: 'edrkit-content.json' });
    const ruleCount = readdirSync(path.join(pack, 'rules')).length;
    expect(Object.keys(info.files)).toHaveLength(ruleCount);

    const store = TrustStore.open(tmpDir());
    store.trust(publicKey, { names: ['sigma-*'] });
    const verified = loadContentPack(pack, { trustStore: store });
    expect(verified.files.size).toBe(ruleCount);
    expect(verified.manifest.format).toBe('sigma');
    store.install(verified);

    const first = readdirSync(path.join(pack, 'rules')).sort()[0] as string;
    const rule = path.join(pack, 'rules', first);
    const text = readFileSync(rule, 'utf8');
    writeFileSync(rule, text.replace('title:', 'title: '));
    expect(codeOf(() => loadContentPack(pack, { trustStore: store }))).toBe('ERR_PLUGIN_TAMPERED');

    writeFileSync(rule, text);
    writeFileSync(path.join(pack, 'edrkit-content.json'), JSON.stringify({ name: 'sigma-linux', version: '1.0.0', format: 'sigma', files: {} }));
    signPackage(pack, secretKey, { manifestName: 'edrkit-content.json' });
    expect(codeOf(() => loadContentPack(pack, { trustStore: store }))).toBe('ERR_PLUGIN_DOWNGRADE');
  });
});


describe('staged rollout', () => {
  it('puts each host in a deterministic ring, and the canary share matches the percentage', () => {
    expect(rolloutRing('host-a', 'sigma-linux')).toBe(rolloutRing('host-a', 'sigma-linux'));
    const hosts = Array.from({ length: 4000 }, (_, i) => `host-${i}`);
    const canary = hosts.filter((h) => chooseContentVersion({ name: 'sigma-linux', stable: '1.0.0', candidate: '1.1.0', available: ['1.0.0', '1.1.0'] }, { hostId: h, canaryPercent: 10 }).reason === 'canary');
    expect(canary.length / hosts.length).toBeGreaterThan(0.08);
    expect(canary.length / hosts.length).toBeLessThan(0.12);
    // Widening the rollout keeps the earlier canaries in it.
    const wider = new Set(hosts.filter((h) => rolloutRing(h, 'sigma-linux') < 50));
    expect(canary.every((h) => wider.has(h))).toBe(true);
  });

  it('honours an operator pin, falls back to stable, and validates input', () => {
    const versions = { name: 'pack', stable: '1.0.0', candidate: '2.0.0', available: ['1.0.0', '2.0.0'] };
    expect(chooseContentVersion(versions, { hostId: 'h', canaryPercent: 100 })).toMatchObject({ version: '2.0.0', reason: 'canary' });
    expect(chooseContentVersion(versions, { hostId: 'h', canaryPercent: 0 })).toMatchObject({ version: '1.0.0', reason: 'stable' });
    expect(chooseContentVersion(versions, { hostId: 'h', canaryPercent: 100, pin: '1.0.0' })).toMatchObject({ version: '1.0.0', reason: 'pin' });
    expect(chooseContentVersion({ name: 'new', candidate: '1.0.0', available: ['1.0.0'] }, { hostId: 'h', canaryPercent: 0 })).toMatchObject({ version: undefined, reason: 'none' });
    expect(() => chooseContentVersion(versions, { hostId: 'h', canaryPercent: 100, pin: '9.9.9' })).toThrow(/not installed/);
    expect(() => chooseContentVersion(versions, { hostId: 'h', canaryPercent: 101 })).toThrow(/between 0 and 100/);
  });
});
