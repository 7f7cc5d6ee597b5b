/**
 * The monitors whose cost on a workload the bench compares: edrkit as a library (in this
 * process), edrkit's CLI (`watch --format json > /dev/null`), a libbpf-tools tool
 * (opensnoop / execsnoop > /dev/null) and auditd. Each is started, attached, and stopped by
 * the same small interface so the overhead loop treats them alike.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sensor } from '@edrkit/core';
import type { NativeOpenOptions } from '../../packages/linux/src/native/addon-api.js';
import { openLibrarySensor } from './library-sensor.js';
import { have, stop, track, waitAttached } from './procs.js';
// The C consumer loads the object from disk (the addon embeds its own copy of the same build).
import { DEFAULT_BPF_OBJECT } from '@edrkit/linux/internal';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The CLI as shipped (dist/): the bench builds it first (tsc -b). */
export const CLI = path.join(root, 'packages/edrkit/bin/edrkit.js');

/** A running monitor. */
export interface Monitor {
  /** Stop it; returns what it counted (events seen, drops) when it can tell. */
  stop(): Promise<{ events?: number; drops?: number; peakRssMb?: number }>;
  /** The process to read /proc figures of (absent for the in-process library). */
  pid?: number;
}

/** The native options of the last library monitor: the C consumer monitor loads the object the same way. */
let lastNative: Omit<NativeOpenOptions, 'onBatch'> | undefined;

/** edrkit as a library: default kinds, no filter, events counted and dropped on the floor. */
export async function startLibrary(): Promise<Monitor> {
  const { sensor, native } = await openLibrarySensor();
  lastNative = native;
  let events = 0;
  const loop = (async (s: Sensor) => {
    for await (const e of s.events()) if (e.kind !== 'sensor.lost') events++;
  })(sensor);
  return {
    async stop() {
      await sensor.close();
      await loop.catch(() => {});
      const d = sensor.stats().dropped;
      return { events, drops: d.kernel + d.backend + d.queue };
    },
  };
}

/** Parse the CLI's closing stats line: "N events delivered …; dropped before the sensor: kernel K, backend B". */
export function parseStatsLine(stderr: string): { events?: number; drops?: number } {
  const m = /edrkit: (\d+) events delivered.*?(\d+) dropped \(queue full\).*?kernel (\d+), backend (\d+)/.exec(stderr);
  return m ? { events: Number(m[1]), drops: Number(m[2]) + Number(m[3]) + Number(m[4]) } : {};
}

/** A child process writing to /dev/null, ready once its BPF links are attached. */
async function startChild(
  cmd: string,
  args: string[],
  what: string,
  onStop?: (output: string, child: ChildProcess) => { events?: number; drops?: number },
  stdout: 'null' | 'pipe' = 'null',
): Promise<Monitor> {
  const devnull = openSync('/dev/null', 'w');
  const child = track(spawn(cmd, args, { cwd: root, stdio: ['ignore', stdout === 'pipe' ? 'pipe' : devnull, 'pipe'], env: { ...process.env, NO_COLOR: '1' } }));
  closeSync(devnull);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitAttached(child.pid!, what).catch((err: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${err.message}${stderr ? `: ${stderr.trim().slice(-300)}` : ''}`);
  });
  return {
    pid: child.pid!,
    async stop() {
      await stop(child);
      return onStop?.(stderr, child) ?? {};
    },
  };
}

/**
 * The C consumer with the library monitor's configuration: the cost of edrkit's BPF programs
 * with the least possible user space (counting records). Undefined before a library run.
 */
export function startCConsumer(bin: string): Promise<Monitor> | undefined {
  if (!lastNative) return undefined;
  const n = lastNative;
  const args = [n.objectPath ?? DEFAULT_BPF_OBJECT, '--kinds', String(n.kinds), '--filter-flags', String(n.filterFlags), '--ring', String(n.ringBytes), ...n.disable.flatMap((d) => ['--disable', d]), '--idle-ms', '0'];
  return startChild(bin, args, 'edrkit-c-consumer', (stdout) => {
    const f = /done (\d+) (\d+) (\d+)/.exec(stdout);
    return f ? { events: Number(f[2]), drops: Number(f[3]) } : {};
  }, 'pipe');
}

/** `edrkit watch --format json > /dev/null`. */
export function startCli(): Promise<Monitor> {
  return startChild(process.execPath, [CLI, 'watch', '--format', 'json'], 'edrkit watch', (stderr) => parseStatsLine(stderr));
}

/** A libbpf-tools program (opensnoop, execsnoop) with its output to /dev/null; undefined when not installed. */
export function startLibbpfTool(tool: 'opensnoop' | 'execsnoop'): Promise<Monitor> | undefined {
  if (!have(tool)) return undefined;
  return startChild(tool, [], tool);
}
