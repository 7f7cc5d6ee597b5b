/**
 * A cgroup per plugin process, so memory and the number of processes/threads are limited
 * by the kernel rather than reported by the plugin. cgroup v2 is used where edrkit's own
 * cgroup delegates the `memory` and `pids` controllers; otherwise the v1 `memory` and
 * `pids` hierarchies (hybrid hosts, older distributions); otherwise the caller falls back
 * to rlimits and says so. The group is created under the host's own cgroup, so a host
 * confined by systemd or a container stays inside its own limits.
 *
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LayerState } from './confinement.js';

/** Limits of one plugin cgroup. */
export interface CgroupLimits {
  memoryBytes: number;
  maxProcesses: number;
}

/** A created plugin cgroup (one directory per controller on v1, one on v2). */
export interface PluginCgroup {
  /** Directories the child joins. */
  dirs: string[];
  /** Layer outcome of the memory and pids limits. */
  memory: LayerState;
  pids: LayerState;
  /** The limit file that was written, named in failures (`cgroup memory.max`). */
  memoryFile: string;
  /** True when the kernel OOM-killed a process of the group. */
  oomKilled(): boolean;
  /** True when a fork/clone was refused by the pids limit. */
  pidsExhausted(): boolean;
  /** Remove the directories (after the child exited). */
  remove(): void;
}

const ROOT = '/sys/fs/cgroup';
let sequence = 0;

function ownCgroups(): Map<string, string> {
  const map = new Map<string, string>();
  try {
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const [, controllers, rel] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
      if (rel === undefined || controllers === undefined) continue;
      for (const c of controllers === '' ? ['<v2>'] : controllers.split(',')) map.set(c, rel);
    }
  } catch {
    // Not Linux, or /proc unavailable: no cgroups.
  }
  return map;
}

function counter(file: string, key: string): number {
  try {
    const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(readFileSync(file, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const swept = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove the empty groups of hosts that are gone (a host killed with SIGKILL cannot clean
 * up after itself); once per parent directory and host process. rmdir only succeeds on an
 * empty group, so a live plugin's group is never touched.
 */
function sweep(parent: string): void {
  if (swept.has(parent)) return;
  swept.add(parent);
  try {
    for (const entry of readdirSync(parent)) {
      const pid = Number(/^edrkit-.+-(\d+)-\d+$/.exec(entry)?.[1]);
      if (pid > 0 && pid !== process.pid && !alive(pid)) removeDirs([path.join(parent, entry)]);
    }
  } catch {
    // Unreadable parent: nothing to sweep.
  }
}

function mkGroup(parent: string, name: string): string {
  sweep(parent);
  const dir = path.join(parent, name);
  mkdirSync(dir);
  return dir;
}

function tryV2(own: Map<string, string>, name: string, limits: CgroupLimits): PluginCgroup | string {
  const rel = own.get('<v2>');
  const root = existsSync(path.join(ROOT, 'cgroup.controllers')) ? ROOT : existsSync(path.join(ROOT, 'unified/cgroup.controllers')) ? path.join(ROOT, 'unified') : undefined;
  if (!root || rel === undefined) return 'no cgroup v2 hierarchy';
  const parent = path.join(root, rel);
  let delegated = '';
  try {
    delegated = readFileSync(path.join(parent, 'cgroup.subtree_control'), 'utf8').trim();
  } catch (error) {
    return `cgroup v2 ${parent}: ${(error as Error).message}`;
  }
  const words = new Set(delegated.split(/\s+/));
  if (!words.has('memory') || !words.has('pids')) return `cgroup v2 ${parent} does not delegate memory and pids (cgroup.subtree_control: '${delegated}')`;
  const dir = mkGroup(parent, name);
  try {
    writeFileSync(path.join(dir, 'memory.max'), String(limits.memoryBytes));
    writeFileSync(path.join(dir, 'memory.swap.max'), '0', { flag: 'r+' });
  } catch {
    // memory.swap.max is absent without swap accounting: memory.max still holds.
  }
  writeFileSync(path.join(dir, 'pids.max'), String(limits.maxProcesses));
  return {
    dirs: [dir],
    memory: 'held',
    pids: 'held',
    memoryFile: 'cgroup memory.max',
    oomKilled: () => counter(path.join(dir, 'memory.events'), 'oom_kill') > 0,
    pidsExhausted: () => counter(path.join(dir, 'pids.events'), 'max') > 0,
    remove: () => removeDirs([dir]),
  };
}

function tryV1(own: Map<string, string>, name: string, limits: CgroupLimits): PluginCgroup | string {
  const memRel = own.get('memory');
  const pidsRel = own.get('pids');
  const memParent = memRel === undefined ? undefined : path.join(ROOT, 'memory', memRel);
  const pidsParent = pidsRel === undefined ? undefined : path.join(ROOT, 'pids', pidsRel);
  if (!memParent || !existsSync(path.join(memParent, 'memory.limit_in_bytes'))) return 'no cgroup v1 memory controller';
  const dirs: string[] = [];
  try {
    const mem = mkGroup(memParent, name);
    dirs.push(mem);
    writeFileSync(path.join(mem, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    let pids: LayerState = 'unavailable:no cgroup v1 pids controller';
    let pidsDir: string | undefined;
    if (pidsParent && existsSync(pidsParent)) {
      pidsDir = mkGroup(pidsParent, name);
      dirs.push(pidsDir);
      writeFileSync(path.join(pidsDir, 'pids.max'), String(limits.maxProcesses));
      pids = 'held';
    }
    return {
      dirs,
      memory: 'held',
      pids,
      memoryFile: 'cgroup memory.limit_in_bytes',
      oomKilled: () => counter(path.join(mem, 'memory.oom_control'), 'oom_kill') > 0,
      pidsExhausted: () => (pidsDir ? counter(path.join(pidsDir, 'pids.events'), 'max') > 0 : false),
      remove: () => removeDirs(dirs),
    };
  } catch (error) {
    removeDirs(dirs);
    return `cgroup v1: ${(error as Error).message}`;
  }
}

function removeDirs(dirs: readonly string[]): void {
  for (const dir of dirs) {
    try {
      rmdirSync(dir);
    } catch {
      // Still populated for a moment after the exit, or already gone: the next host start
      // does not depend on it, and a stale empty group holds no memory.
    }
  }
}

/**
 * Create a cgroup for one plugin process, or return why none could be created (not root,
 * no delegation, no controller): the caller reports it and falls back to rlimits.
 */
export function createPluginCgroup(plugin: string, limits: CgroupLimits): PluginCgroup | string {
  if (process.platform !== 'linux') return `no cgroups on ${process.platform}`;
  const own = ownCgroups();
  const name = `edrkit-${plugin.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64)}-${process.pid}-${++sequence}`;
  const reasons: string[] = [];
  for (const attempt of [tryV2, tryV1]) {
    try {
      const result = attempt(own, name, limits);
      if (typeof result !== 'string') return result;
      reasons.push(result);
    } catch (error) {
      reasons.push((error as Error).message);
    }
  }
  return reasons.join('; ');
}
