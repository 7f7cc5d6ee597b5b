/**
 * Runs `edrkit watch --format json` (from source) for the live tests: waits for its
 * `sensor.start`, performs the behaviour, and returns every event it printed, parsed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseEvent, type EdrEvent } from '@edrkit/core';
import { ROOT, until } from './helpers.js';

/** What a `watch` run printed. */
export interface WatchRun {
  events: EdrEvent[];
  stderr: string;
  code: number | null;
}

/**
 * `edrkit watch --format json ...args`; `during` runs once the sensor has started (its
 * `sensor.start` line is out: with `--kinds`, name `sensor.start` too) and may poll what was
 * printed so far. `args` should bound the run (`--duration N`).
 */
export async function watchJson(args: readonly string[], during: (output: () => string) => void | Promise<void>): Promise<WatchRun> {
  const child = spawn(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', path.join(ROOT, 'packages/edrkit/bin/edrkit.js'), 'watch', '--format', 'json', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((r) => child.on('close', r));
  if (!(await until(() => stdout.includes('"sensor.start"'), 15_000))) {
    child.kill('SIGINT');
    await closed;
    throw new Error(`edrkit watch did not start within 15 s: ${stderr}`);
  }
  await during(() => stdout);
  const code = await closed;
  return { events: stdout.split('\n').filter(Boolean).map((l) => parseEvent(JSON.parse(l))), stderr, code };
}
