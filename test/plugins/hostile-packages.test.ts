/**
 * Hostile packages (issue 9, items 4-6): each attack on package parsing, the trust store
 * or the config schema is refused with a named error code, while a well-behaved plugin in
 * the same host still receives every event and alerts on every shell.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatSecretKey,
  formatSignature,
  generateKeyPair,
  loadPluginPackage,
  PluginError,
  PluginHost,
  sha256Digest,
  signMessage,
  signPackage,
  TrustStore,
  type PluginAlert,
} from '@edrkit/plugins';
import { GOOD_PLUGIN_CONFIG, GOOD_PLUGIN_SOURCE, sampleEvents, tmpDir, writePlugin, writeSignedPlugin, type PluginSpec } from '../../packages/plugins/src/testing/fixtures.js';

const repo = path.resolve(import.meta.dirname, '../..');
const publisher = generateKeyPair();
const POLICY = { batchTimeoutMs: 3_000, heartbeatMs: 100, heartbeatTimeoutMs: 2_000, memoryLimitMb: 48, rssLimitMb: 400, backoffMs: 20, maxFailures: 3, startTimeoutMs: 20_000 };
const EVENTS = sampleEvents(30);
const SHELLS = EVENTS.filter((e) => e.kind === 'process.exec' && e.process.exe === '/bin/sh').length;
const home = tmpDir();
const root = tmpDir();
const store = TrustStore.open(home);
store.trust(publisher.publicKey, { names: ['*'] });
const goodDir = writeSignedPlugin(root, { name: 'good', source: GOOD_PLUGIN_SOURCE, ...GOOD_PLUGIN_CONFIG }, publisher.secretKey);
const hosts: PluginHost[] = [];
afterAll(async () => Promise.all(hosts.map((h) => h.close())));

/** The code (and message) of the PluginError `fn` throws, or 'accepted'. */
async function refusal(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof PluginError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

/**
 * A host running the good plugin; `attack` runs against it, then every event is replayed
 * through the host and the good plugin must have seen all of them.
 */
async function besideGoodPlugin(attack: (host: PluginHost) => Promise<string> | string, trustStore = store): Promise<string> {
  const host = new PluginHost({ trustStore, ...POLICY });
  hosts.push(host);
  const alerts: PluginAlert[] = [];
  host.on('alert', (a) => alerts.push(a));
  await host.add(loadPluginPackage(goodDir, { trustStore }));
  const result = await attack(host);
  await host.attach(EVENTS, { batchSize: 5 });
  expect(host.stats().plugins.find((p) => p.plugin === 'good')).toMatchObject({ state: 'running', events: EVENTS.length, failures: 0 });
  expect(alerts.filter((a) => a.plugin === 'good')).toHaveLength(SHELLS);
  await host.close();
  return result;
}

/** Sign exactly `manifestText` (hostile manifests that signPackage would never write). */
function signRaw(spec: PluginSpec, manifestText: (digest: string) => string): string {
  const dir = writePlugin(root, spec);
  const digest = sha256Digest(readFileSync(path.join(dir, 'index.js')));
  const bytes = Buffer.from(manifestText(digest));
  writeFileSync(path.join(dir, 'edrkit-plugin.json'), bytes);
  writeFileSync(path.join(dir, 'edrkit-plugin.json.minisig'), formatSignature(signMessage(bytes, publisher.secretKey)));
  return dir;
}

/** `edrkit ARGS` in a child process; asynchronous, so the host's heartbeats keep running. */
function cli(edrkitHome: string, ...args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', '--input-type=module', '-e', `import { main } from '@edrkit/cli'; import { backends } from 'edrkit'; process.exitCode = await main(${JSON.stringify(args)}, { backends });`], {
      cwd: repo,
      env: { ...process.env, EDRKIT_HOME: edrkitHome },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

const manifestFields = (name: string, digest: string) =>
  `"name":"${name}","version":"1.0.0","entry":"index.js","api":"^1.0.0","kinds":["process.exec"],"capabilities":["alert"],"configSchema":{"type":"object"},"defaultConfig":{},"files":{"index.js":"${digest}"}`;
const load = (dir: string) => (host: PluginHost) => refusal(async () => host.add(loadPluginPackage(dir, { trustStore: store })));

describe('hostile packages: prototype names', () => {
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('an unlisted file named %s is refused (ERR_PLUGIN_TAMPERED)', async (file) => {
    const dir = writeSignedPlugin(root, { name: `proto-${file.replace(/_/g, '').toLowerCase()}`, source: 'export function onEvent() {}' }, publisher.secretKey);
    writeFileSync(path.join(dir, file), 'smuggled');
    expect(await besideGoodPlugin(load(dir))).toMatch(new RegExp(`^ERR_PLUGIN_TAMPERED: .*'${file}' is not listed in the signed manifest`));
  });

  it('signing lists and digests a real __proto__ file; changing it afterwards is detected', async () => {
    const dir = writePlugin(root, { name: 'has-proto-file', source: 'export function onEvent() {}', extraFiles: { ['__proto__']: 'data', 'lib/constructor': 'more' } });
    const info = signPackage(dir, publisher.secretKey);
    expect(Object.keys(info.files).sort()).toEqual(['__proto__', 'index.js', 'lib/constructor']);
    expect(Object.keys(JSON.parse(readFileSync(info.manifestPath, 'utf8')).files as object)).toContain('__proto__');
    expect(await besideGoodPlugin(load(dir))).toBe('accepted');
    writeFileSync(path.join(dir, '__proto__'), 'changed');
    expect(await besideGoodPlugin(load(dir))).toMatch(/^ERR_PLUGIN_TAMPERED: .*'__proto__' does not match its signed digest/);
  });

  it('`edrkit plugin sign` lists a real __proto__ file', async () => {
    const dir = writePlugin(root, { name: 'cli-proto-file', source: 'export function onEvent() {}', extraFiles: { ['__proto__']: 'data' } });
    const keyFile = path.join(tmpDir(), 'publisher.key');
    writeFileSync(keyFile, formatSecretKey(publisher.secretKey), { mode: 0o600 });
    const signed = await besideGoodPlugin(async () => {
      const r = await cli(tmpDir(), 'plugin', 'sign', dir, '--key', keyFile);
      return `${r.status} ${r.stderr}`;
    });
    expect(signed).toMatch(/^0 /);
    const files = JSON.parse(readFileSync(path.join(dir, 'edrkit-plugin.json'), 'utf8')).files as object;
    expect(Object.keys(files).sort()).toEqual(['__proto__', 'index.js']);
    expect(await besideGoodPlugin(load(dir))).toBe('accepted');
  }, 60_000);

  it('a "__proto__": {…} entry inside files is refused (ERR_PLUGIN_MANIFEST)', async () => {
    const dir = signRaw({ name: 'proto-entry', source: 'export function onEvent() {}' }, (d) => `{${manifestFields('proto-entry', d).replace('"files":{', '"files":{"__proto__":{"index.js":"x"},')}}`);
    expect(await besideGoodPlugin(load(dir))).toMatch(/^ERR_PLUGIN_MANIFEST: .*files.__proto__: must be "sha256:"/);
  });
});

describe('hostile packages: duplicate manifest keys', () => {
  it.each([
    ['name', (d: string) => `{${manifestFields('dup-name', d)},"name":"good"}`, '$.name'],
    ['capabilities', (d: string) => `{"capabilities":[],${manifestFields('dup-caps', d)}}`, '$.capabilities'],
    ['a file digest', (d: string) => `{${manifestFields('dup-file', d).replace('"files":{', `"files":{"index.js":"sha256:${'0'.repeat(64)}",`)}}`, '$.files["index.js"]'],
  ])('a duplicate %s is refused, naming the key (ERR_PLUGIN_DUPLICATE_KEY)', async (_what, text, jsonPath) => {
    const dir = signRaw({ name: 'dup', source: 'export function onEvent() {}' }, text);
    const result = await besideGoodPlugin(load(dir));
    expect(result).toMatch(/^ERR_PLUGIN_DUPLICATE_KEY: /);
    expect(result).toContain(`appears twice at ${jsonPath}`);
  });
});

describe.skipIf(process.platform === 'win32')('hostile packages: special files', () => {
  it.each(['fifo', 'symlink to a fifo'])('a package file replaced by a %s is refused without blocking (ERR_PLUGIN_TAMPERED)', async (kind) => {
    const dir = writeSignedPlugin(root, { name: `special-${kind.length}`, source: 'export function onEvent() {}', extraFiles: { 'data.txt': 'x' } }, publisher.secretKey);
    rmSync(path.join(dir, 'data.txt'));
    const fifo = kind === 'fifo' ? path.join(dir, 'data.txt') : path.join(tmpDir(), 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    if (kind !== 'fifo') symlinkSync(fifo, path.join(dir, 'data.txt'));
    expect(await besideGoodPlugin(load(dir))).toMatch(/^ERR_PLUGIN_TAMPERED: .*'data.txt' is not a regular file/);
  });
});

describe('hostile packages: config schemas', () => {
  const schemaPlugin = (name: string, configSchema: Record<string, unknown>, defaultConfig: unknown) =>
    writeSignedPlugin(root, { name, source: 'export function onEvent() {}', configSchema, defaultConfig }, publisher.secretKey);

  it('a "^(a+)+$" pattern cannot hang the host: the config is checked in linear time (ERR_PLUGIN_CONFIG)', async () => {
    const schema = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } };
    const bad = schemaPlugin('redos', schema, { s: `${'a'.repeat(48)}!` });
    expect(await besideGoodPlugin(load(bad))).toMatch(/^ERR_PLUGIN_CONFIG: redos: config.s: must match pattern/);
    // The same through PluginHost.add with an operator config.
    const ok = schemaPlugin('redos-ok', schema, { s: 'aaa' });
    const viaHost = await besideGoodPlugin((host) => refusal(async () => host.add(loadPluginPackage(ok, { trustStore: store }), { config: { s: `${'a'.repeat(48)}!` } })));
    expect(viaHost).toMatch(/^ERR_PLUGIN_CONFIG: redos-ok: config.s: must match pattern/);
  });

  it('a {"$ref": "#"} schema is refused with a code, not a RangeError (ERR_PLUGIN_SCHEMA_REF)', async () => {
    expect(await besideGoodPlugin(load(schemaPlugin('ref-cycle', { $ref: '#' }, {})))).toMatch(/^ERR_PLUGIN_SCHEMA_REF: ref-cycle: configSchema: \$ref cycle/);
  });
});

describe('hostile packages: trust store', () => {
  it('an install of 3.0.0 during a run that later quarantines does not lower the floor', async () => {
    const runHome = tmpDir();
    const runStore = TrustStore.open(runHome);
    runStore.trust(publisher.publicKey, { names: ['*'] });
    const crashing = (version: string) => writeSignedPlugin(root, { name: 'rolling', version, source: `export function onEvent() { process.exit(3); } // ${version}` }, publisher.secretKey);
    runStore.install(loadPluginPackage(crashing('2.0.0'), { trustStore: runStore }));
    const installed2 = loadPluginPackage(path.join(runStore.installDir('rolling', '2.0.0')), { trustStore: runStore });
    await besideGoodPlugin(async (host) => {
      await host.add(installed2);
      // An operator installs 3.0.0 meanwhile, from another store instance (another process).
      TrustStore.open(runHome).install(loadPluginPackage(crashing('3.0.0'), { trustStore: TrustStore.open(runHome) }));
      return 'started';
    }, runStore);
    // The run quarantined 2.0.0 after its failures, writing the store from its old copy.
    const after = TrustStore.open(runHome);
    expect(after.isQuarantined(installed2.digest)).toBe(true);
    expect(after.installed('rolling')?.highest).toBe('3.0.0');
    expect(await refusal(() => after.install(loadPluginPackage(crashing('2.0.0'), { keys: [publisher.publicKey] })))).toMatch(/^ERR_PLUGIN_DOWNGRADE: /);
  });

  it('`plugin revoke` with a bad key id or digest fails with a named error and stores nothing', async () => {
    const cliHome = tmpDir();
    const result = await besideGoodPlugin(async () => {
      const [badKey, badDigest] = await Promise.all([cli(cliHome, 'plugin', 'revoke', '--key-id', 'not-a-key'), cli(cliHome, 'plugin', 'revoke', '--key-id', publisher.publicKey.keyIdHex, '--digest', 'nonsense')]);
      return `${badKey.status} ${badKey.stderr.trim()}\n${badDigest.status} ${badDigest.stderr.trim()}`;
    });
    expect(result).toMatch(/^1 edrkit: key id "not-a-key" is not a minisign key id .*\[ERR_PLUGIN_BAD_KEY_ID\]\n/);
    expect(result).toMatch(/\n1 edrkit: digest "nonsense" is not a manifest digest .*\[ERR_PLUGIN_BAD_DIGEST\]$/);
    // Neither the bad values nor the good key id of the second call were stored.
    const revoked = TrustStore.open(cliHome);
    expect(revoked.isKeyRevoked(publisher.publicKey.keyIdHex)).toBe(false);
  }, 60_000);
});
