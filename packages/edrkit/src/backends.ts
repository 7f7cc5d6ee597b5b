/**
 * The backend chooser: which backends exist, which one fits this platform, and how to
 * create one by name. This is the only place that knows every platform package.
 * A backend named by the user is never replaced by another: if it cannot run here,
 * opening it throws with the reason (no silent fallback).
 *
 * @module
 */
import {
  BackendUnavailableError,
  InvalidArgumentError,
  NotSupportedError,
  ReplayBackend,
  type Backend,
  type BackendProbe,
  type Platform,
  type ReplayOptions,
} from '@edrkit/core';

/** Names of the backends edrkit knows. */
export const BACKEND_IDS = ['linux-ebpf', 'windows-etw', 'macos-es', 'replay'] as const;
/** A backend name accepted by {@link createBackend}. */
export type BackendId = (typeof BACKEND_IDS)[number];

/** Options for creating a backend by name. */
export interface CreateBackendOptions {
  /** Options for the replay backend (required for `replay`). */
  replay?: ReplayOptions;
  /** Options passed to the platform backend's constructor. */
  [key: string]: unknown;
}

/** What this Node process's platform is, in edrkit's words (undefined where edrkit has no backend). */
export function currentPlatform(platform: NodeJS.Platform = process.platform): Platform | undefined {
  if (platform === 'linux') return 'linux';
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  return undefined;
}

/** The live backend for a platform. */
export function defaultBackendId(platform: NodeJS.Platform = process.platform): BackendId {
  const p = currentPlatform(platform);
  if (p === 'linux') return 'linux-ebpf';
  if (p === 'windows') return 'windows-etw';
  if (p === 'macos') return 'macos-es';
  throw new NotSupportedError(`platform ${platform}`, `edrkit has no live backend for '${platform}'; use the replay backend with a recording`);
}

/** Create a backend by name. Throws for unknown names and for backends not shipped in this version. */
export async function createBackend(id: string, options: CreateBackendOptions = {}): Promise<Backend> {
  switch (id) {
    case 'auto':
      return createBackend(defaultBackendId(), options);
    case 'linux-ebpf': {
      const { LinuxEbpfBackend } = await import('@edrkit/linux');
      return new LinuxEbpfBackend(options as ConstructorParameters<typeof LinuxEbpfBackend>[0]);
    }
    case 'replay':
      if (!options.replay) throw new InvalidArgumentError("backend 'replay' needs a recording: pass { replay: { path } }");
      return new ReplayBackend(options.replay);
    case 'windows-etw':
    case 'macos-es':
      throw new BackendUnavailableError(id, `the ${id} backend is not part of this edrkit release yet (see docs/platform-support.md)`, {
        code: 'ERR_NOT_SUPPORTED',
      });
    default:
      throw new InvalidArgumentError(`unknown backend '${id}'; choose one of: auto, ${BACKEND_IDS.join(', ')}`);
  }
}

/** One backend's standing on this host, for `edrkit doctor`. */
export interface BackendReport {
  id: BackendId;
  /** True when this is the backend `auto` picks here. */
  default: boolean;
  available: boolean;
  reason?: string;
  probe?: BackendProbe;
}

/** Probe every live backend for this host; never throws. */
export async function listBackends(): Promise<BackendReport[]> {
  const platform = currentPlatform();
  const reports: BackendReport[] = [];
  for (const id of ['linux-ebpf', 'windows-etw', 'macos-es'] as const) {
    const isDefault = platform !== undefined && defaultBackendId() === id;
    const needs = id === 'linux-ebpf' ? 'linux' : id === 'windows-etw' ? 'windows' : 'macos';
    if (platform !== needs) {
      reports.push({ id, default: false, available: false, reason: `runs on ${needs} only (this is ${process.platform})` });
      continue;
    }
    try {
      const probe = await (await createBackend(id)).probe();
      reports.push({ id, default: isDefault, available: probe.available, ...(probe.reason ? { reason: probe.reason } : {}), probe });
    } catch (err) {
      reports.push({ id, default: isDefault, available: false, reason: (err as Error).message });
    }
  }
  return reports;
}
