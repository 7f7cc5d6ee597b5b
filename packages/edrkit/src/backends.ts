/**
 * The backend table of the `edrkit` package: the one place that names the backend packages.
 * Everything that lists or chooses backends (`openSensor`, the CLI's `--backend` and help,
 * `doctor`) reads {@link backends}. A platform package is imported only when its backend is
 * used on its platform, so a macOS or Windows install never loads the Linux addon. A backend
 * named by the user is never replaced by another: if it cannot run here, opening it throws.
 *
 * @module
 */
import { BackendTable, currentPlatform, replayDescriptor, reportBackends, type Backend, type BackendReport } from '@edrkit/core';
import { z } from 'zod';

/**
 * Every backend this package ships. Adding a backend is one entry here (its package exports
 * the descriptor); a backend from outside edrkit is added with `backends.register(descriptor)`.
 */
export const backends: BackendTable = new BackendTable()
  .registerLazy({ id: 'linux-ebpf', platform: 'linux', live: true, package: '@edrkit/linux', load: async () => (await import('@edrkit/linux')).linuxEbpfDescriptor })
  .registerLazy({ id: 'windows-etw', platform: 'windows', live: true, package: '@edrkit/windows', load: async () => (await import('@edrkit/windows')).windowsEtwDescriptor })
  .registerLazy({ id: 'windows-eventlog', platform: 'windows', live: true, package: '@edrkit/windows', load: async () => (await import('@edrkit/windows')).windowsEventLogDescriptor })
  .registerLazy({ id: 'windows-minifilter', platform: 'windows', live: true, package: '@edrkit/windows', load: async () => (await import('@edrkit/windows')).windowsMinifilterDescriptor })
  // eslogger first: `auto` on macOS picks it, as it needs no Apple entitlement.
  .registerLazy({ id: 'macos-eslogger', platform: 'macos', live: true, package: '@edrkit/macos', load: async () => (await import('@edrkit/macos')).esloggerDescriptor })
  .registerLazy({ id: 'macos-es', platform: 'macos', live: true, package: '@edrkit/macos', load: async () => (await import('@edrkit/macos')).esDescriptor })
  .register(replayDescriptor);

/** The live backend `auto` picks on a platform (from {@link backends}); throws `ERR_NOT_SUPPORTED` where there is none. */
export function defaultBackendId(platform: NodeJS.Platform = process.platform): string {
  return backends.defaultId(currentPlatform(platform));
}

/**
 * Create a backend by id (or `auto`) from {@link backends}; `options` are checked against the
 * backend's zod schema. Throws for unknown ids, bad options and backends of another platform.
 */
export function createBackend(id: string, options?: unknown, osApi?: unknown): Promise<Backend> {
  return backends.create(id, options, currentPlatform(), osApi);
}

/** A zod schema of event `source` values this program knows: the ids of {@link backends}. */
export function sourceSchema(): z.ZodType<string> {
  return z.string().refine((s) => backends.has(s), { message: `not a backend this program knows (${backends.ids.join(', ')})` });
}

/** Probe every live backend of {@link backends} on this host, for `edrkit doctor`; never throws. */
export function listBackends(): Promise<BackendReport[]> {
  return reportBackends(backends);
}
