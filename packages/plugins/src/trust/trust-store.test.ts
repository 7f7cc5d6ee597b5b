/**
 * The trust store under concurrent writers (real processes), and its input checks.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { sha256Digest } from '../package/files.js';
import { loadPluginPackage } from '../package/plugin-package.js';
import { formatPublicKey, generateKeyPair } from '../signing/keys.js';
import { tmpDir, writeSignedPlugin, pluginRefusal } from '../testing/fixtures.js';
import { withStoreLock } from './store-lock.js';
import { TrustStore } from './trust-store.js';

const key = generateKeyPair();
const WRITER = path.resolve(import.meta.dirname, '../testing/store-writer.ts');

interface WriterLine {
  role: string;
  ready?: boolean;
  done?: boolean;
  installed?: string;
  refused?: string;
  quarantined?: string;
  revoked?: string;
  floor?: string;
}

/** Run writer processes against `home`; each opens the store, waits for `go`, then writes. */
async function runWriters(home: string, specs: Record<string, object>): Promise<WriterLine[]> {
  const lines: WriterLine[] = [];
  let ready = 0;
  const roles = Object.keys(specs);
  const exits = roles.map((role) => {
    const specFile = path.join(home, `${role}.spec.json`);
    writeFileSync(specFile, JSON.stringify(specs[role]));
    const child = spawn(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', WRITER, home, role, specFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let buffered = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const part of parts) {
        const line = JSON.parse(part) as WriterLine;
        lines.push(line);
        // Start everyone at once, after every process has opened its (soon stale) store.
        if (line.ready && ++ready === roles.length) writeFileSync(path.join(home, 'go'), '');
      }
    });
    return new Promise<void>((resolve, reject) =>
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${role} exited ${code}: ${stderr}`)))),
    );
  });
  await Promise.all(exits);
  return lines;
}

describe('trust store', () => {
  it('concurrent writers lose no update and the anti-rollback floor never goes down', async () => {
    const home = tmpDir();
    const root = tmpDir();
    const versions = Array.from({ length: 12 }, (_, i) => `${i + 1}.0.0`);
    const dirs = new Map(versions.map((v) => [v, writeSignedPlugin(root, { name: 'rolling', version: v, source: `export function onEvent() {} // ${v}` }, key.secretKey)]));
    // Two installers race on one name (odd and even versions, each increasing), while a
    // third process, like a long `plugin run`, quarantines and revokes from a stale copy.
    const publicKey = formatPublicKey(key.publicKey);
    const base = { publicKey, plugin: 'rolling', installs: [] as string[], quarantines: 0, revocations: 0 };
    const lines = await runWriters(home, {
      odd: { ...base, installs: versions.filter((_, i) => i % 2 === 0).map((v) => dirs.get(v)), quarantines: 4, revocations: 3 },
      even: { ...base, installs: versions.filter((_, i) => i % 2 === 1).map((v) => dirs.get(v)), quarantines: 4, revocations: 3 },
      run: { ...base, quarantines: 12, revocations: 6 },
    });

    const store = TrustStore.open(home);
    const installed = lines.filter((l) => l.installed).map((l) => l.installed as string);
    expect(installed.length).toBeGreaterThan(0);
    // Every successful install is recorded; the floor is the highest of them.
    const state = store.installed('rolling');
    expect(Object.keys(state?.versions ?? {}).sort()).toEqual([...installed].sort());
    const highest = installed.reduce((a, b) => (Number.parseInt(a) > Number.parseInt(b) ? a : b));
    expect(state?.highest).toBe(highest);
    // No quarantine record or revocation written by any process is lost.
    const quarantined = lines.filter((l) => l.quarantined).map((l) => l.quarantined);
    expect(quarantined).toHaveLength(20);
    expect(store.quarantined().map((q) => q.digest).sort()).toEqual([...quarantined].sort());
    const revoked = lines.filter((l) => l.revoked).map((l) => l.revoked as string);
    expect(revoked).toHaveLength(12);
    for (const digest of revoked) expect(store.isDigestRevoked(digest)).toBe(true);
    // Each process read the floor from disk after each of its writes: it never went down.
    for (const role of ['odd', 'even', 'run']) {
      const floors = lines.filter((l) => l.role === role && l.floor !== undefined).map((l) => Number.parseInt(l.floor as string));
      expect(floors, role).toEqual([...floors].sort((a, b) => a - b));
    }
    // And the floor holds: a version below it is refused.
    expect(pluginRefusal(() => loadPluginPackage(dirs.get('1.0.0') as string, { keys: [key.publicKey], trustStore: store }))).toMatch(/^ERR_PLUGIN_DOWNGRADE: /);
  }, 90_000);

  it('a stale store instance cannot lower the floor another process raised', () => {
    const home = tmpDir();
    const root = tmpDir();
    const pkg = (v: string) => loadPluginPackage(writeSignedPlugin(root, { name: 'p', version: v, source: 'export function onEvent() {}' }, key.secretKey), { keys: [key.publicKey] });
    const runStore = TrustStore.open(home);
    runStore.install(pkg('2.0.0'));
    TrustStore.open(home).install(pkg('3.0.0'));
    // The run quarantines 2.0.0 from its stale copy (the reproduction in the issue).
    runStore.quarantine({ name: 'p', version: '2.0.0', digest: pkg('2.0.0').digest, reason: 'failed' });
    runStore.activate('p', '2.0.0');
    const after = TrustStore.open(home);
    expect(after.installed('p')?.highest).toBe('3.0.0');
    expect(pluginRefusal(() => after.install(pkg('2.5.0')))).toMatch(/^ERR_PLUGIN_DOWNGRADE: p 2.5.0 is older than the installed 3.0.0/);
    // The stale instance itself re-reads under the lock before it installs.
    expect(pluginRefusal(() => runStore.install(pkg('2.5.0')))).toMatch(/^ERR_PLUGIN_DOWNGRADE: /);
  });

  it('revoke validates key ids and digests with named errors, and stores nothing bad', () => {
    const home = tmpDir();
    const store = TrustStore.open(home);
    expect(pluginRefusal(() => store.revokeKey('not-a-key'))).toBe('ERR_PLUGIN_BAD_KEY_ID: key id "not-a-key" is not a minisign key id (16 hex digits, as `edrkit plugin verify` and `minisign` print it)');
    expect(pluginRefusal(() => store.revokeKey('0123456789ABCDEF0'))).toMatch(/^ERR_PLUGIN_BAD_KEY_ID: /);
    expect(pluginRefusal(() => store.revokeDigest('nonsense'))).toBe('ERR_PLUGIN_BAD_DIGEST: digest "nonsense" is not a manifest digest ("sha256:" and 64 hex digits, as `edrkit plugin verify` prints it)');
    expect(pluginRefusal(() => store.revokeDigest(`sha256:${'0'.repeat(63)}`))).toMatch(/^ERR_PLUGIN_BAD_DIGEST: /);
    expect(TrustStore.open(home).keys()).toEqual([]);
    store.revokeKey(key.publicKey.keyIdHex.toLowerCase());
    const digest = sha256Digest(Buffer.from('x'));
    store.revokeDigest(digest.toUpperCase().replace('SHA256', 'sha256'));
    const reopened = TrustStore.open(home);
    expect(reopened.isKeyRevoked(key.publicKey.keyIdHex)).toBe(true);
    expect(reopened.isDigestRevoked(digest)).toBe(true);
  });

  it('a plugin named like an Object.prototype member is an ordinary name', () => {
    const home = tmpDir();
    const store = TrustStore.open(home);
    expect(store.installed('constructor')).toBeUndefined();
    const dir = writeSignedPlugin(tmpDir(), { name: 'constructor', source: 'export function onEvent() {}' }, key.secretKey);
    expect(pluginRefusal(() => loadPluginPackage(dir, { keys: [key.publicKey], trustStore: store }))).toBe('accepted');
    store.install(loadPluginPackage(dir, { keys: [key.publicKey], trustStore: store }));
    expect(TrustStore.open(home).installed('constructor')?.highest).toBe('1.0.0');
  });

  it('a trust.json edited to state a key twice is refused, naming the key', () => {
    const home = tmpDir();
    TrustStore.open(home).revokeKey(key.publicKey.keyIdHex);
    const file = path.join(home, 'plugins', 'trust.json');
    writeFileSync(file, '{"version":1,"keys":[],"revokedKeys":[],"revokedDigests":[],"revokedKeys":[]}');
    expect(pluginRefusal(() => TrustStore.open(home))).toBe(`ERR_PLUGIN_TRUST_STORE: ${file}: key 'revokedKeys' appears twice at $.revokedKeys; fix the file`);
  });

  it('the lock is re-entrant within a process and waits for another holder', () => {
    const dir = path.join(tmpDir(), 'plugins');
    expect(withStoreLock(dir, () => withStoreLock(dir, () => 'nested'))).toBe('nested');
    // A fresh lock directory, as another running process holds it: the writer waits, then
    // gives up with a named error instead of writing without the lock.
    mkdirSync(path.join(dir, 'store.lock'));
    expect(pluginRefusal(() => withStoreLock(dir, () => 'never', 200))).toMatch(/^ERR_PLUGIN_TRUST_STORE_LOCKED: .*store.lock: another edrkit process has held the trust store lock for more than 200 ms/);
  });
});
