import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** Result of running the CLI. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `edrkit ARGS` (the real bin, against the sources) with optional stdin. */
export function edrkit(args: string[], options: { stdin?: string; env?: Record<string, string>; timeoutMs?: number; node?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      options.node ?? process.execPath,
      [...cliArgv(), ...args],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** A running `edrkit` process (the real bin, against the sources). */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves when the process has exited and its pipes closed. */
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** Start `edrkit ARGS` with piped stdout/stderr; `node` picks another Node binary. */
export function startEdrkit(args: string[], options: { node?: string; env?: Record<string, string> } = {}): RunningCli {
  const child = spawn(options.node ?? process.execPath, [...cliArgv(), ...args], {
    cwd: repoRoot,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stdout?.on('error', () => {});
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal, stdout, stderr })));
  return { child, done, stdout: () => stdout, stderr: () => stderr };
}

/** The node arguments that run the bin against the sources. */
export function cliArgv(): string[] {
  return ['--conditions=@edrkit/source', '--import', 'tsx', resolve(repoRoot, 'packages/edrkit/bin/edrkit.js')];
}

/** Wait until `pred()` holds or `ms` pass (the live tests' helper). */
export { until } from '../linux/helpers.js';

/** Whether process `pid` is still alive (and not a zombie). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** The numbers of the stats line; throws when it is missing. */
export function parseStats(stderr: string): { received: number; filtered: number; delivered: number; queue: number; unsent: number } {
  const m = /(\d+) received = (\d+) filtered \+ (\d+) delivered \+ (\d+) dropped \(queue full\) \+ (\d+) unsent/.exec(stderr);
  if (!m) throw new Error(`no stats line in: ${stderr}`);
  const [received, filtered, delivered, queue, unsent] = m.slice(1).map(Number) as [number, number, number, number, number];
  return { received, filtered, delivered, queue, unsent };
}
