/**
 * Start one plugin child process, confined: on Linux through the launcher inside a cgroup
 * of its own (confinement.ts, cgroup.ts), elsewhere (or with `sandbox: false`) as a plain
 * `node` in a process group of its own. Also the registry of live process groups, killed
 * when the host process exits, so no plugin process outlives its host.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { realpathSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { createPluginCgroup, type PluginCgroup } from './cgroup.js';
import { launcherArgs, launcherPath, launcherUnavailableReason, parseStatusLine, permissionLayer, STATUS_FD, type SandboxReport } from './confinement.js';
import { macosSpawnCommand } from './macos-spawn.js';
import { confinementKind } from './os-confinement.js';
import type { WorkerLimits } from './plugin-worker.js';
import { confineWindowsChild } from './windows-job.js';

/** A started child: its process, its cgroup, and its layer report (filled in as the launcher's status arrives). */
export interface SpawnedChild {
  child: ChildProcess;
  cgroup: PluginCgroup | undefined;
  sandbox: SandboxReport;
}

/** Pids of every live plugin process group (each child leads its own). */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** SIGKILL the process group led by `pid` (the leader alone if the group is gone). */
export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** The leader exited: kill what is left of its group and forget it. */
export function releaseGroup(pid: number): void {
  liveGroups.delete(pid);
  killGroup(pid);
}

function track(pid: number): void {
  liveGroups.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' runs for process.exit() and a normal end; a signal death of the host is covered
  // by the children's parent-death signal (set by the launcher).
  process.on('exit', () => {
    for (const group of liveGroups) killGroup(group);
  });
}

function readStatus(stream: Readable | null, spawned: SpawnedChild): void {
  let text = '';
  stream?.on('data', (chunk: Buffer) => {
    // One line of a few hundred bytes; anything longer is not the launcher's.
    if (text.length < 8192) text += chunk.toString('utf8');
  });
  stream?.on('error', () => {});
  stream?.on('end', () => {
    const report = parseStatusLine(text);
    const { sandbox, cgroup } = spawned;
    if (!report) {
      sandbox.launcher = 'unavailable:the launcher reported no status';
      return;
    }
    // What the host found before the start (cgroup fallbacks, permission) stays.
    Object.assign(sandbox, { launcher: 'held', ...report }, { ...sandbox, launcher: 'held' });
    if (cgroup) {
      const joined = report.cgroup === 'held';
      sandbox.cgroupMemory = joined ? cgroup.memory : (report.cgroup ?? 'unavailable:not joined');
      sandbox.cgroupPids = joined ? cgroup.pids : (report.cgroup ?? 'unavailable:not joined');
    }
  });
}

/**
 * Spawn `node nodeArgs…` for plugin `name`, confined as `limits` ask. `platform` chooses
 * the confinement (os-confinement.ts); it is a parameter so tests can run another
 * platform's path here.
 */
export function spawnPluginChild(name: string, limits: WorkerLimits, network: boolean, nodeArgs: readonly string[], platform: NodeJS.Platform = process.platform): SpawnedChild {
  const sandbox: SandboxReport = {};
  const launcher = limits.sandbox && platform === 'linux' ? launcherPath() : undefined;
  let cgroup: PluginCgroup | undefined;
  let command = process.execPath;
  let args = [...nodeArgs];
  const kind = confinementKind(platform, limits.sandbox, launcher !== undefined);
  if (launcher) {
    const created = createPluginCgroup(name, { memoryBytes: limits.rssLimitMb * 1024 * 1024, maxProcesses: limits.maxProcesses });
    if (typeof created === 'string') {
      sandbox.cgroupMemory = `unavailable:${created}; RLIMIT_DATA and the host's resident-size watch apply instead`;
      sandbox.cgroupPids = `unavailable:${created}; as root a shared RLIMIT_NPROC applies instead`;
    } else {
      cgroup = created;
    }
    const root = process.getuid?.() === 0;
    command = launcher;
    args = [
      ...launcherArgs({
        user: limits.user,
        group: limits.group,
        network,
        cgroups: cgroup?.dirs ?? [],
        maxOpenFiles: limits.maxOpenFiles,
        // RLIMIT_NPROC counts every thread of the user (all plugins share `nobody`, ~11
        // threads each), so without a pids cgroup it is only a fork-bomb cap shared by all
        // plugins, and only as root (a non-root host's user runs much else).
        maxProcesses: cgroup?.pids === 'held' || !root ? undefined : Math.max(limits.maxProcesses * 32, 1024),
        cpuSeconds: limits.cpuSeconds,
        // V8 reserves far more address space than it uses; the data limit is a coarse net.
        dataBytes: cgroup?.memory === 'held' ? undefined : Math.max(limits.rssLimitMb, 256) * 4 * 1024 * 1024,
      }),
      process.execPath,
      ...nodeArgs,
    ];
  } else if (kind === 'macos-sandbox-exec') {
    const mac = macosSpawnCommand({
      nodePath: realpathSync(process.execPath),
      nodeArgs,
      network,
      maxOpenFiles: limits.maxOpenFiles,
      cpuSeconds: limits.cpuSeconds,
      // As on Linux without a memory cgroup: V8 reserves far more than it uses.
      dataBytes: Math.max(limits.rssLimitMb, 256) * 4 * 1024 * 1024,
    });
    ({ command, args } = mac);
    Object.assign(sandbox, mac.sandbox);
  } else {
    sandbox.launcher = `unavailable:${limits.sandbox ? launcherUnavailableReason(platform) : 'sandbox disabled by the host policy'}`;
  }
  sandbox.permission = permissionLayer(limits.sandbox);
  const child = spawn(command, args, {
    // fd 3: the message channel (a socketpair); fd 4: the launcher's status line.
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', launcher ? 'pipe' : 'ignore'],
    // An empty environment: no secrets or NODE_OPTIONS of the host leak into plugins.
    env: {},
    // Without the launcher (which calls setsid), still a group of its own so it can be killed whole.
    detached: !launcher && platform !== 'win32',
    windowsHide: true,
  });
  if (child.pid !== undefined) track(child.pid);
  if (kind === 'windows-job-object' && child.pid !== undefined) {
    // Before the host sends the plugin's code: every job limit holds before that code runs.
    const job = confineWindowsChild(child.pid, { memoryBytes: limits.rssLimitMb * 1024 * 1024, cpuSeconds: limits.cpuSeconds });
    Object.assign(sandbox, job.sandbox);
    child.once('exit', () => job.close());
  }
  const spawned: SpawnedChild = { child, cgroup, sandbox };
  if (launcher) readStatus(child.stdio[STATUS_FD] as Readable | null, spawned);
  return spawned;
}
