/**
 * OS-level confinement of plugin child processes. On Linux every child is started through
 * `edrkit-plugin-launcher` (native/linux/plugin-launcher.c), which applies each layer
 * before Node — and so before any plugin code — runs, and reports every layer's outcome on
 * a status pipe. Each layer is detected at run time: what does not hold on this host is
 * reported as `unavailable:<reason>`, never assumed.
 *
 * Layers (see docs/plugins.md for what each defends against): `session`, `pdeathsig`,
 * `identity`, `nonewprivs`, `network`, `cgroup`, `nocore`, `nofile`, `nproc`, `cpu`,
 * `data`, `seccomp`, `landlock`, `scope`, and `permission` (Node's permission model, the
 * inner layer).
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPlatformFile } from '@edrkit/core/internal';
import { createPluginCgroup } from './cgroup.js';
import { permissionFlag } from './node-flags.js';

/** Outcome of one confinement layer. */
export type LayerState = 'held' | `unavailable:${string}`;
/** Outcome of every confinement layer of one plugin process, by layer name. */
export type SandboxReport = Record<string, LayerState>;

/** What the launcher is asked to apply. */
export interface ConfinementOptions {
  /** Unprivileged user and group the child runs as when the host is root. */
  user: string;
  group: string;
  /** Give the child the host's network (only for a plugin whose `network` capability the operator allowed). */
  network: boolean;
  /** cgroup directories the child joins before it drops privileges. */
  cgroups: readonly string[];
  maxOpenFiles: number;
  /** RLIMIT_NPROC: only used when no pids cgroup holds (it counts every process of the user). */
  maxProcesses: number | undefined;
  /** RLIMIT_CPU in seconds of CPU time over the child's life. */
  cpuSeconds: number;
  /** RLIMIT_DATA in bytes: only used when no memory cgroup holds. */
  dataBytes: number | undefined;
}

/** The file descriptor of the launcher's status pipe in the child (0-2 stdio, 3 the channel). */
export const STATUS_FD = 4;

const here = path.dirname(fileURLToPath(import.meta.url));

/** The package root (the same relative place from src/host and dist/host). */
const packageRoot = path.resolve(here, '../..');

/** The launcher's file name, in a checkout's build/ and in the platform package's bin/. */
const LAUNCHER_FILE = 'edrkit-plugin-launcher';

/**
 * Path of the launcher binary: `EDRKIT_PLUGIN_LAUNCHER`, else the one `npm run build:native`
 * writes to packages/plugins/build/ in a checkout, else the one in this host's platform
 * package (`@edrkit/linux-x64-gnu`, an optional dependency of the published package).
 */
export function launcherPath(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  if (process.env.EDRKIT_PLUGIN_LAUNCHER) return existsSync(process.env.EDRKIT_PLUGIN_LAUNCHER) ? process.env.EDRKIT_PLUGIN_LAUNCHER : undefined;
  const local = path.join(packageRoot, 'build', LAUNCHER_FILE);
  if (existsSync(local)) return local;
  const found = findPlatformFile(packageRoot, `bin/${LAUNCHER_FILE}`);
  return found.found ? found.path : undefined;
}

/**
 * Paths the child may read (and execute) under Landlock: the Node binary and the shared
 * libraries it loads, the linker cache, OpenSSL's config (Node reads it at start), and its
 * own /proc entry (process.memoryUsage). Nothing else: the plugin's code arrives over the
 * channel, so no plugin file needs to be readable.
 */
export function readOnlyPaths(network = false): string[] {
  const node = realpathSync(process.execPath);
  // A plugin allowed the network also resolves names: the resolver's configuration.
  const resolver = network ? ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/gai.conf', '/etc/ssl/certs'] : [];
  const candidates = [...resolver, node, '/lib', '/lib64', '/usr/lib', '/usr/lib64', '/etc/ld.so.cache', '/etc/ssl/openssl.cnf', '/proc/self', '/dev/null', '/dev/urandom'];
  // A Node outside /usr (nvm, a tarball) loads its libraries from beside it.
  const nodeLib = path.resolve(path.dirname(node), '../lib');
  if (!nodeLib.startsWith('/usr/')) candidates.push(nodeLib);
  return candidates.filter((p) => existsSync(p));
}

/** Arguments of the launcher for `options`, ending with `--` (the Node command follows). */
export function launcherArgs(options: ConfinementOptions): string[] {
  const args = ['--status-fd', String(STATUS_FD), '--parent', String(process.pid), '--user', options.user, '--group', options.group, '--seccomp'];
  if (!options.network) args.push('--no-net');
  for (const dir of options.cgroups) args.push('--cgroup', dir);
  args.push('--nofile', String(options.maxOpenFiles), '--cpu', String(Math.ceil(options.cpuSeconds)));
  if (options.maxProcesses !== undefined) args.push('--nproc', String(options.maxProcesses));
  if (options.dataBytes !== undefined) args.push('--data', String(options.dataBytes));
  for (const p of readOnlyPaths(options.network)) args.push('--ro', p);
  args.push('--');
  return args;
}

/** Parse the launcher's status line (`edrkit-sandbox\tlayer=state\t…`). */
export function parseStatusLine(line: string): SandboxReport | undefined {
  const [magic, ...fields] = line.replace(/\n$/, '').split('\t');
  if (magic !== 'edrkit-sandbox') return undefined;
  const report: SandboxReport = {};
  for (const field of fields) {
    const at = field.indexOf('=');
    if (at <= 0) continue;
    const value = field.slice(at + 1);
    report[field.slice(0, at)] = value === 'held' ? 'held' : value.startsWith('unavailable:') ? (value as LayerState) : `unavailable:${value}`;
  }
  return report;
}

/** The layer report of Node's permission model, the inner layer. */
export function permissionLayer(enabled: boolean): LayerState {
  if (!enabled) return 'unavailable:sandbox disabled by the host policy';
  const flag = permissionFlag();
  return flag ? 'held' : `unavailable:Node ${process.version} has no permission model`;
}

/** Why there is no launcher on this host, as a layer reason. */
export function launcherUnavailableReason(platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'linux') return `no launcher for ${platform} (see docs/plugins.md)`;
  if (process.env.EDRKIT_PLUGIN_LAUNCHER) return `EDRKIT_PLUGIN_LAUNCHER names ${process.env.EDRKIT_PLUGIN_LAUNCHER}, which does not exist`;
  if (existsSync(path.resolve(packageRoot, '../../scripts/build-native.mjs'))) return 'edrkit-plugin-launcher not built (run `npm run build:native`)';
  const found = findPlatformFile(packageRoot, `bin/${LAUNCHER_FILE}`);
  return found.found ? `${found.path} is not usable` : `edrkit-plugin-launcher is missing: ${found.reason}`;
}

/**
 * Start a confined `node -e ''` and return the layers that held: what `edrkit doctor`
 * shows. Resolves (never rejects) within `timeoutMs`. On macOS and Windows the child is
 * started the way plugin children are there (probe-platform.ts; `options` do not apply).
 */
export async function probeConfinement(options: Partial<ConfinementOptions> = {}, timeoutMs = 10_000): Promise<SandboxReport> {
  if (process.platform === 'darwin' || process.platform === 'win32') {
    // Their OS layers are applied by spawn-child.ts itself; loaded only here (it imports this file).
    const { probePlatformConfinement } = await import('./probe-platform.js');
    return probePlatformConfinement(process.platform, timeoutMs);
  }
  const launcher = launcherPath();
  const base: SandboxReport = { permission: permissionLayer(true) };
  if (!launcher) return { launcher: `unavailable:${launcherUnavailableReason()}`, ...base };
  const cgroup = createPluginCgroup('probe', { memoryBytes: 256 * 1024 * 1024, maxProcesses: 64 });
  const cgroups: SandboxReport =
    typeof cgroup === 'string' ? { cgroupMemory: `unavailable:${cgroup}`, cgroupPids: `unavailable:${cgroup}` } : { cgroupMemory: cgroup.memory, cgroupPids: cgroup.pids };
  Object.assign(base, cgroups);
  const dirs = typeof cgroup === 'string' ? [] : cgroup.dirs;
  const full: ConfinementOptions = { user: 'nobody', group: 'nogroup', network: false, cgroups: dirs, maxOpenFiles: 128, maxProcesses: undefined, cpuSeconds: 10, dataBytes: undefined, ...options };
  const result = await new Promise<SandboxReport>((resolve) => {
    let out = '';
    const child = spawn(launcher, [...launcherArgs(full), process.execPath, '-e', ''], { stdio: ['ignore', 'ignore', 'ignore', 'ignore', 'pipe'], env: {} });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdio[STATUS_FD]?.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ launcher: `unavailable:${e.message}`, ...base });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const report = parseStatusLine(out);
      resolve(report ? { launcher: code === 0 ? 'held' : `unavailable:the confined node exited with ${code}`, ...report, ...base } : { launcher: `unavailable:no status from the launcher (exit ${code})`, ...base });
    });
  });
  if (typeof cgroup !== 'string') {
    cgroup.remove();
    if (result.cgroup && result.cgroup !== 'held') result.cgroupMemory = result.cgroupPids = result.cgroup;
  }
  return result;
}
