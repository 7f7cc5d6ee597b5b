/**
 * The descriptor of the `macos-es` backend, for the `edrkit` backend table. Importing it
 * loads nothing; probe() loads the addon (on macOS only).
 *
 * @module
 */
import type { BackendDescriptor } from '@edrkit/core';
import { z } from 'zod';
import { realHost } from '../host.js';
import { EsBackend, type EsBackendOptions, type EsOsApi } from './backend.js';
import { loadEsAddon } from './load-addon.js';
import { probeEs } from './probe.js';

/** Options of macos-es, checked. */
export const EsBackendOptionsSchema = z
  .object({
    batchSize: z.number().int().positive().optional(),
    maxPendingBytes: z.number().int().min(65536).optional(),
    imageLoads: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<EsBackendOptions>;

/** The `macos-es` backend descriptor. `osApi` replaces the host and the addon (tests). */
export const esDescriptor: BackendDescriptor<EsBackendOptions, EsOsApi> = {
  id: 'macos-es',
  platform: 'macos',
  live: true,
  summary: 'macOS Endpoint Security client (native addon; needs the ES entitlement, root and Full Disk Access)',
  options: EsBackendOptionsSchema,
  privilege: () => ({ needed: 'root, Full Disk Access and the Endpoint Security entitlement', held: realHost.platform === 'darwin' && realHost.isRoot(), ...(realHost.isRoot() ? { how: 'root (the entitlement and Full Disk Access are checked when the client is created)' } : {}) }),
  probe: (options, osApi) => probeEs(osApi?.host ?? realHost, osApi ? () => osApi.addon() : () => loadEsAddon(), options.imageLoads ?? false),
  create: (options, osApi) => new EsBackend(options, osApi),
};
