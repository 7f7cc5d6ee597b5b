#!/usr/bin/env node
/**
 * Builds the benchmark's C helpers into bench/.build/ (kept apart from scripts/build-native.mjs,
 * which builds what ships):
 *
 *   edrkit-loadgen      native/bench/loadgen.c: a known number of opens / execs / writes
 *   edrkit-c-consumer   native/bench/c-consumer.c: the same BPF object consumed by plain libbpf
 *
 * Idempotent (skips outputs newer than their sources; --force rebuilds). bench/run.ts calls
 * it on demand; `node bench/build-bench-native.mjs` builds by hand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'bench/.build');
const src = path.join(root, 'native/bench');
const header = path.join(root, 'native/linux/edrkit.h');

/** Where the helpers are once built. */
export const BENCH_BIN = {
  loadgen: path.join(outDir, 'edrkit-loadgen'),
  cConsumer: path.join(outDir, 'edrkit-c-consumer'),
};

function upToDate(output, inputs, force) {
  if (force || !existsSync(output)) return false;
  const t = statSync(output).mtimeMs;
  return inputs.every((i) => statSync(i).mtimeMs <= t);
}

function cc(output, inputs, args) {
  const r = spawnSync('clang', ['-O2', '-g', '-Wall', '-Wextra', '-Wno-unused-parameter', '-o', output, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) throw new Error(`build-bench-native: clang not found (apt-get install clang): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`build-bench-native: clang failed building ${path.relative(root, output)} from ${inputs.map((i) => path.relative(root, i)).join(', ')}`);
}

/** Build the helpers that are missing or stale; returns their paths. */
export function buildBenchNative({ force = false } = {}) {
  mkdirSync(outDir, { recursive: true });
  const loadgen = path.join(src, 'loadgen.c');
  if (!upToDate(BENCH_BIN.loadgen, [loadgen], force)) cc(BENCH_BIN.loadgen, [loadgen], [loadgen]);
  const consumer = path.join(src, 'c-consumer.c');
  if (!upToDate(BENCH_BIN.cConsumer, [consumer, header], force)) {
    cc(BENCH_BIN.cConsumer, [consumer, header], ['-I', path.join(root, 'native/linux'), consumer, '-lbpf', '-lelf', '-lz']);
  }
  return BENCH_BIN;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bins = buildBenchNative({ force: process.argv.includes('--force') });
  console.log(`build-bench-native: ${Object.values(bins).map((b) => path.relative(root, b)).join(', ')}`);
}
