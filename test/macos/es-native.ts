/**
 * Builds the macOS addon's C on Linux for the tests: the message conversion (es_record.c) with
 * its test driver, against the stub ES headers in native/macos/test-stubs. Cached per process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const NATIVE = path.resolve(import.meta.dirname, '../../native/macos');
export const STUBS = path.join(NATIVE, 'test-stubs');

/** The C files of the record writer (as binding.gyp lists them, with addon.c). */
export const RECORD_SOURCES = ['es_record.c', 'es_json.c', 'es_events_fs.c', 'es_events_auth.c'];

let driver: string | undefined;

/** Compile native/macos/test/es_record_test.c with the record writer (clang, warnings are errors, UB trapped). */
export function buildRecordDriver(): string {
  if (driver) return driver;
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'edrkit-es-')), 'es_record_test');
  execFileSync('clang', ['-std=gnu11', '-O1', '-g', '-Wall', '-Wextra', '-Werror', '-fsanitize=undefined', '-fsanitize-trap=undefined', `-I${STUBS}`, '-o', out, path.join(NATIVE, 'test/es_record_test.c'), ...RECORD_SOURCES.map((f) => path.join(NATIVE, 'src', f))], { stdio: 'pipe' });
  driver = out;
  return out;
}

/** Run the driver; its stdout. */
export function runRecordDriver(args: string[] = []): string {
  const r = spawnSync(buildRecordDriver(), args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`es_record_test exited ${r.status ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

/** Node's headers for a syntax check of addon.c (the node-gyp cache, or the distribution's). */
export function nodeHeaders(): string | undefined {
  const version = process.versions.node;
  const home = process.env['HOME'] ?? '/root';
  return [path.resolve(process.execPath, '../../include/node'), path.join(home, `.cache/node-gyp/${version}/include/node`), '/usr/include/node'].find((d) => existsSync(path.join(d, 'node_api.h')));
}
