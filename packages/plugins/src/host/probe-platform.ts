/**
 * What `edrkit doctor` shows for plugin confinement on macOS and Windows: a confined
 * Node that lives 200 ms (long enough to be assigned to its Windows job) started through the same path as a plugin child (spawn-child.ts), and the
 * layers it reported. A layer counts as held only if that child then exits 0: a
 * `sandbox-exec` that refuses the profile, or a Node that cannot start under it, turns
 * the OS layer into `unavailable:` with the exit status.
 *
 * @module
 */
import type { SandboxReport } from './confinement.js';
import type { WorkerLimits } from './plugin-worker.js';
import { releaseGroup, spawnPluginChild } from './spawn-child.js';

/** Small limits for the probe: it only has to start and exit. */
const PROBE_LIMITS: WorkerLimits = {
  batchTimeoutMs: 1_000,
  startTimeoutMs: 1_000,
  heartbeatMs: 1_000,
  heartbeatTimeoutMs: 1_000,
  memoryLimitMb: 64,
  rssLimitMb: 256,
  sandbox: true,
  user: 'nobody',
  group: 'nogroup',
  maxProcesses: 64,
  maxOpenFiles: 128,
  cpuSeconds: 10,
  maxMessageBytes: 1024,
};

/** The OS layer whose outcome the probe's exit status decides, by platform. */
const OS_LAYER: Partial<Record<NodeJS.Platform, string>> = { darwin: 'sandboxExec', win32: 'jobObject' };

/**
 * Start a short-lived confined Node the way `platform` confines plugins and return its layers.
 * Resolves (never rejects) within `timeoutMs`. `platform` is a parameter for tests.
 */
export function probePlatformConfinement(platform: NodeJS.Platform = process.platform, timeoutMs = 10_000): Promise<SandboxReport> {
  return new Promise((resolve) => {
    let spawned;
    try {
      spawned = spawnPluginChild('probe', PROBE_LIMITS, false, ['-e', 'setTimeout(() => {}, 200)'], platform);
    } catch (error) {
      resolve({ launcher: `unavailable:${(error as Error).message}` });
      return;
    }
    const { child, sandbox } = spawned;
    const timer = setTimeout(() => child.pid !== undefined && releaseGroup(child.pid), timeoutMs);
    const finish = (failure: string | undefined) => {
      clearTimeout(timer);
      if (child.pid !== undefined) releaseGroup(child.pid);
      const layer = OS_LAYER[platform];
      if (failure && layer && sandbox[layer] === 'held') sandbox[layer] = `unavailable:${failure}`;
      resolve(sandbox);
    };
    child.on('error', (e) => finish(`the confined node could not start (${e.message})`));
    child.on('close', (code, signal) => finish(code === 0 ? undefined : `the confined node exited with ${code ?? signal}`));
  });
}
