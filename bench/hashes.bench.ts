/**
 * The hashing enrichment stage: cost of a first read (per MiB, per algorithm set), of a
 * cached lookup (the common case: the same binaries exec again and again), and the delay
 * it adds to an event stream of execs of a few binaries.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSensor, type HashAlgorithm } from '@edrkit/core';
import { FileHasher } from '@edrkit/core/internal';
import { MemoryBackend, execDraft } from '@edrkit/core/testing';

async function firstRead(dir: string, mib: number, algorithms: HashAlgorithm[], facts: boolean) {
  const files = Array.from({ length: 8 }, (_, i) => {
    const p = join(dir, `f${mib}-${i}`);
    writeFileSync(p, Buffer.alloc(mib * 1024 * 1024, i + 1));
    return p;
  });
  const hasher = new FileHasher({ algorithms, facts, maxFilesPerSecond: 1_000_000 });
  const started = performance.now();
  for (const f of files) await hasher.facts(f);
  const ms = (performance.now() - started) / files.length;
  return { scenario: `first read, ${mib} MiB, ${algorithms.join('+')}${facts ? ' + facts' : ''}`, files: files.length, 'ms/file': ms, 'MiB/s': (mib * 1000) / ms };
}

async function cached(dir: string) {
  const p = join(dir, 'cached');
  writeFileSync(p, Buffer.alloc(1024 * 1024, 3));
  const hasher = new FileHasher({ maxFilesPerSecond: 1_000_000 });
  await hasher.facts(p);
  const n = 20_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) await hasher.facts(p);
  const ms = performance.now() - started;
  return { scenario: 'cached lookup (stat + cache hit)', files: n, 'µs/lookup': (ms * 1000) / n };
}

async function stream(dir: string) {
  const bins = Array.from({ length: 20 }, (_, i) => {
    const p = join(dir, `bin${i}`);
    writeFileSync(p, Buffer.alloc(256 * 1024, i));
    return p;
  });
  const row: Record<string, string | number> = { scenario: 'sensor stream: 20,000 execs of 20 binaries (256 KiB)' };
  for (const hashes of [undefined, { algorithms: ['sha256'] as HashAlgorithm[] }]) {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, lifecycleEvents: false, ...(hashes ? { hashes } : {}) });
    const it = sensor.events();
    const started = performance.now();
    let got = 0;
    for (let i = 0; i < 20_000; i += 100) {
      backend.emit(Array.from({ length: 100 }, (_, j) => execDraft(1000 + j, bins[(i + j) % bins.length]!)));
      for (let k = 0; k < 100; k++) if (!(await it.next()).done) got++;
    }
    const secs = (performance.now() - started) / 1000;
    row[hashes ? 'events/s hashed' : 'events/s plain'] = Math.round(got / secs);
    await sensor.close();
  }
  return row;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'edrkit-bench-hash-'));
  try {
    return [
      await firstRead(dir, 1, ['sha256'], false),
      await firstRead(dir, 16, ['sha256'], false),
      await firstRead(dir, 16, ['md5', 'sha1', 'sha256'], false),
      await firstRead(dir, 16, ['sha256'], true),
      await cached(dir),
      await stream(dir),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
