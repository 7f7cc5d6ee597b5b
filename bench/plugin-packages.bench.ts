/**
 * Costs of the package-parsing and trust-store safety checks (issue 9, part B): the
 * duplicate-key scan of a large manifest, a config schema with a catastrophic-backtracking
 * pattern checked by RE2 on a long input, and trust store writes under the inter-process
 * lock (each one: lock, re-read, write, fsync, rename, fsync the directory).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findDuplicateKey, sha256Digest, TrustStore, validateConfig } from '@edrkit/plugins';

type Row = Record<string, string | number>;

function time(fn: () => void, repeat: number): number {
  const started = performance.now();
  for (let i = 0; i < repeat; i++) fn();
  return (performance.now() - started) / repeat;
}

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];

  // A 1 MiB manifest-like document: many files with digests, nested config.
  const files: Record<string, string> = {};
  for (let i = 0, size = 0; size < 1024 * 1024; i += 1) {
    const name = `lib/module-${i}.js`;
    files[name] = sha256Digest(Buffer.from(String(i)));
    size += name.length + 80;
  }
  const text = JSON.stringify({ name: 'bench', version: '1.0.0', files, defaultConfig: { nested: [{ a: 1 }, { b: [1, 2, 3] }] } });
  const scanMs = time(() => findDuplicateKey(text), 20);
  const parseMs = time(() => JSON.parse(text), 20);
  rows.push({ check: 'duplicate-key scan (1 MiB manifest)', 'ms/op': scanMs, 'MB/s': text.length / 1e6 / (scanMs / 1000), 'vs JSON.parse': `${(scanMs / parseMs).toFixed(2)}x` });

  // ^(a+)+$ on 100k characters: exponential for a backtracking engine, linear for RE2.
  const schema = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } };
  const input = { s: `${'a'.repeat(100_000)}!` };
  validateConfig(schema, { s: 'a' }, 'bench'); // compile once
  const redosMs = time(() => {
    try {
      validateConfig(schema, input, 'bench');
    } catch {
      // ERR_PLUGIN_CONFIG: does not match, as expected.
    }
  }, 5);
  rows.push({ check: 'config pattern ^(a+)+$ on 100k chars (RE2)', 'ms/op': redosMs, 'MB/s': input.s.length / 1e6 / (redosMs / 1000), 'vs JSON.parse': '' });

  const home = mkdtempSync(path.join(os.tmpdir(), 'edrkit-bench-store-'));
  try {
    const store = TrustStore.open(home);
    let i = 0;
    const writeMs = time(() => store.quarantine({ name: 'bench', version: '1.0.0', digest: sha256Digest(Buffer.from(String(i++))), reason: 'bench' }), 100);
    rows.push({ check: 'trust store write under lock (100 records)', 'ms/op': writeMs, 'MB/s': '', 'vs JSON.parse': '' });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  return rows;
}
