/**
 * A trust store writer process for the concurrency test (test-only). Usage:
 * `node --import tsx store-writer.ts HOME ROLE SPEC.json` where SPEC holds the public key,
 * the package directories to install and how many quarantines/revocations to write.
 *
 * The store is opened once, before the start signal, exactly like a long `plugin run` that
 * opened it at start and writes much later: its in-memory copy is stale by then. After each
 * write the process reads the floor back from disk and reports it, so the test can check
 * that no process ever sees the anti-rollback floor go down.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isPluginError } from '../errors.js';
import { sha256Digest } from '../package/files.js';
import { verifyPackage } from '../package/verify.js';
import { pluginManifestKind } from '../package/plugin-package.js';
import { parsePublicKey } from '../signing/keys.js';
import { TrustStore } from '../trust/trust-store.js';

interface WriterSpec {
  publicKey: string;
  /** Package directories to install, in order. */
  installs: string[];
  /** Number of quarantine records and digest revocations to write. */
  quarantines: number;
  revocations: number;
  plugin: string;
}

const [home, role, specFile] = process.argv.slice(2) as [string, string, string];
const spec = JSON.parse(readFileSync(specFile, 'utf8')) as WriterSpec;
const key = parsePublicKey(spec.publicKey);
const store = TrustStore.open(home);
const log = (record: object): void => void process.stdout.write(`${JSON.stringify({ role, ...record })}\n`);
const floorOnDisk = (): string | undefined => TrustStore.open(home).installed(spec.plugin)?.highest;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const pause = (): void => void Atomics.wait(sleeper, 0, 0, Math.random() * 4);

log({ ready: true });
while (!existsSync(path.join(home, 'go'))) Atomics.wait(sleeper, 0, 0, 5);

const ops: (() => object)[] = [];
for (const dir of spec.installs) {
  ops.push(() => {
    const pkg = verifyPackage(dir, pluginManifestKind, { keys: [key] });
    try {
      store.install(pkg);
      return { installed: pkg.manifest.version };
    } catch (error) {
      // Another writer got a higher version in first: refused, as it must be.
      if (isPluginError(error, 'ERR_PLUGIN_DOWNGRADE')) return { refused: pkg.manifest.version };
      throw error;
    }
  });
}
for (let i = 0; i < spec.quarantines; i++) {
  const digest = sha256Digest(Buffer.from(`${role}-quarantine-${i}`));
  ops.push(() => (store.quarantine({ name: `${role}-q`, version: '1.0.0', digest, reason: `failure ${i}` }), { quarantined: digest }));
}
for (let i = 0; i < spec.revocations; i++) {
  const digest = sha256Digest(Buffer.from(`${role}-revoked-${i}`));
  ops.push(() => (store.revokeDigest(digest, `revocation ${i}`), { revoked: digest }));
}
// Interleave this process's own operations too (installs stay in increasing order).
const installs = ops.slice(0, spec.installs.length);
const others = ops.slice(spec.installs.length);
const order: (() => object)[] = [];
while (installs.length || others.length) {
  const next = installs.length && (!others.length || Math.random() < 0.5) ? installs.shift() : others.shift();
  if (next) order.push(next);
}
for (const op of order) {
  const result = op();
  log({ ...result, floor: floorOnDisk() });
  pause();
}
log({ done: true });
