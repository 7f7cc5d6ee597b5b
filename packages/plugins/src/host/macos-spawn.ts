/**
 * The command line of a confined plugin child on macOS:
 *
 *     /bin/sh -c 'ulimit … && exec "$@"' edrkit-plugin N… /usr/bin/sandbox-exec -p PROFILE node ARGS…
 *
 * `sh` sets the rlimits (Node cannot set them on a child) and `exec`s `sandbox-exec`,
 * which applies the Seatbelt profile of macos-sandbox.ts and `exec`s Node: one process
 * throughout, so its pid is the one the host spawned and, spawned `detached`, the leader
 * of its own process group, which the host kills whole. Any step that fails ends the
 * start (the `&&` chain, `sandbox-exec` refusing the profile): the plugin never runs
 * with fewer layers than reported.
 *
 * Status: argv construction unit-tested; not yet run on a real macOS (docs/plugins.md).
 *
 * @module
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SandboxReport } from './confinement.js';
import { macosSandboxProfile } from './macos-sandbox.js';
import { ConfinementLimitError } from './os-confinement.js';

/** Where macOS ships `sandbox-exec` (deprecated by Apple, still present through macOS 15). */
export const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

/** Inputs of {@link macosSpawnCommand}. */
export interface MacosSpawnOptions {
  /** Absolute real path of the Node binary. */
  nodePath: string;
  nodeArgs: readonly string[];
  /** A `network` capability the operator allowed. */
  network: boolean;
  /** RLIMIT_NOFILE. */
  maxOpenFiles: number;
  /** RLIMIT_CPU, in seconds (rounded up). */
  cpuSeconds: number;
  /** RLIMIT_DATA, in bytes (rounded up to KiB, the unit of `ulimit -d`). */
  dataBytes: number;
  /** For tests: whether a path exists. */
  exists?: (file: string) => boolean;
}

/** The command, its arguments and the layers they apply. */
export interface MacosSpawnCommand {
  command: string;
  args: string[];
  sandbox: SandboxReport;
}

// Positional parameters keep every value out of the script text: nothing is quoted or parsed.
const SCRIPT = 'ulimit -c 0 && ulimit -n "$1" && ulimit -t "$2" && ulimit -d "$3" && shift 3 && exec "$@"';

function whole(name: string, value: number): string {
  if (!Number.isFinite(value) || value <= 0) throw new ConfinementLimitError(`macOS plugin limits: ${name} must be a positive number, got ${value}`);
  return String(Math.ceil(value));
}

/** Build the confined command line of one plugin child on macOS. */
export function macosSpawnCommand(options: MacosSpawnOptions): MacosSpawnCommand {
  const exists = options.exists ?? existsSync;
  const limits = [whole('maxOpenFiles', options.maxOpenFiles), whole('cpuSeconds', options.cpuSeconds), whole('dataBytes', options.dataBytes / 1024)];
  const sandbox: SandboxReport = {
    // `detached: true`: libuv calls setsid() in the child.
    session: 'held',
    pdeathsig: 'unavailable:macOS has no parent-death signal; the host kills every group on exit, not when it is SIGKILLed',
    nocore: 'held',
    nofile: 'held',
    cpu: 'held',
    // XNU accepts RLIMIT_DATA but does not count mmap'd memory (V8's heap) against it.
    data: 'held',
  };
  let inner = [options.nodePath, ...options.nodeArgs];
  if (exists(SANDBOX_EXEC)) {
    // A Node outside /usr (Homebrew, nvm, a tarball) loads its libraries from beside it.
    const nodeLib = path.resolve(path.dirname(options.nodePath), '../lib');
    const readPaths = nodeLib.startsWith('/usr/') || !exists(nodeLib) ? [] : [nodeLib];
    const profile = macosSandboxProfile({ nodePath: options.nodePath, readPaths, network: options.network });
    inner = [SANDBOX_EXEC, '-p', profile, ...inner];
    sandbox.sandboxExec = 'held';
  } else {
    sandbox.sandboxExec = `unavailable:${SANDBOX_EXEC} not found`;
  }
  return { command: '/bin/sh', args: ['-c', SCRIPT, 'edrkit-plugin', ...limits, ...inner], sandbox };
}
