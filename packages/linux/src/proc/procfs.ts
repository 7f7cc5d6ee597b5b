/**
 * Synchronous reads of /proc/<pid>, used when the process cache misses (a process that
 * started before the sensor). Racy by nature: the process may exit or exec between the
 * kernel event and this read; every reader returns undefined rather than throwing.
 *
 * @module
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** What /proc tells about a process. */
export interface ProcSnapshot {
  pid: number;
  ppid: number;
  uid?: number;
  gid?: number;
  exe: string;
  args: string[];
  cwd?: string;
  cgroup?: string;
  /** Start, CLOCK_BOOTTIME nanoseconds (from /proc/<pid>/stat field 22). */
  startNs?: number;
}

const CLK_TCK = 100; // USER_HZ: 100 on every Linux ABI Node supports

function tryRead(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function tryLink(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}

/** Snapshot /proc/<pid>; undefined when the process is gone. `root` is for tests. */
export function readProc(pid: number, root = '/proc'): ProcSnapshot | undefined {
  const status = tryRead(`${root}/${pid}/status`);
  if (status === undefined) return undefined;
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1];
  const ppid = Number(field('PPid') ?? 0);
  const uid = Number(field('Uid')?.split(/\s+/)[1] ?? NaN); // effective
  const gid = Number(field('Gid')?.split(/\s+/)[1] ?? NaN);
  const cmdline = tryRead(`${root}/${pid}/cmdline`) ?? '';
  const args = cmdline.split('\0');
  if (args.at(-1) === '') args.pop();
  let exe = tryLink(`${root}/${pid}/exe`) ?? '';
  if (exe.endsWith(' (deleted)')) exe = exe.slice(0, -' (deleted)'.length);
  const stat = tryRead(`${root}/${pid}/stat`);
  // Fields after the last ')' (comm may contain spaces and parens); starttime is field 22.
  const rest = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = rest ? Number(rest[19]) : NaN;
  const cgroupFile = tryRead(`${root}/${pid}/cgroup`);
  const cgroup = cgroupFile === undefined ? undefined : cgroupOf(cgroupFile);
  const cwd = tryLink(`${root}/${pid}/cwd`);
  return {
    pid,
    ppid: Number.isInteger(ppid) ? ppid : 0,
    ...(Number.isInteger(uid) ? { uid } : {}),
    ...(Number.isInteger(gid) ? { gid } : {}),
    exe,
    args,
    ...(cwd !== undefined ? { cwd } : {}),
    ...(cgroup !== undefined ? { cgroup } : {}),
    ...(Number.isFinite(ticks) ? { startNs: (ticks * 1e9) / CLK_TCK } : {}),
  };
}

/**
 * The cgroup path of a /proc/PID/cgroup file: the v2 (`0::`) one, or on a cgroup v1 or hybrid
 * host where that is the root, the first non-root path of the pids, memory, cpu or
 * name=systemd hierarchy (where container runtimes put containers there). Mirrors the kernel
 * side (task_cgroup in edrkit.bpf.c).
 */
export function cgroupOf(file: string): string | undefined {
  const byController = new Map<string, string>();
  for (const line of file.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    for (const c of (m[1] ?? '').split(',')) byController.set(c, m[2] ?? '');
  }
  const v2 = byController.get('');
  if (v2 !== undefined && v2 !== '/') return v2;
  for (const c of ['pids', 'memory', 'cpu', 'name=systemd']) {
    const p = byController.get(c);
    if (p !== undefined && p !== '/') return p;
  }
  return v2;
}
