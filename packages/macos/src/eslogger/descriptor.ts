/**
 * The descriptor of the `macos-eslogger` backend, for the `edrkit` backend table. Importing it
 * starts nothing; probe() runs `eslogger --list-events`, start() runs eslogger.
 *
 * @module
 */
import type { BackendDescriptor } from '@edrkit/core';
import { realHost, type MacosHostApi } from '../host.js';
import { EsloggerBackend } from './backend.js';
import { EsloggerOptionsSchema, type EsloggerOptions } from './options.js';
import { probeEslogger } from './probe.js';

/** The `macos-eslogger` backend descriptor. `osApi` is the host (tests describe a Mac with it). */
export const esloggerDescriptor: BackendDescriptor<EsloggerOptions, MacosHostApi> = {
  id: 'macos-eslogger',
  platform: 'macos',
  live: true,
  summary: "macOS Endpoint Security through Apple's eslogger (macOS 13+, root and Full Disk Access; no entitlement)",
  options: EsloggerOptionsSchema,
  privilege: () => ({ needed: 'root and Full Disk Access', held: realHost.platform === 'darwin' && realHost.isRoot(), ...(realHost.isRoot() ? { how: 'root (Full Disk Access is checked when eslogger starts)' } : {}) }),
  host: (): Record<string, string> => {
    const v = realHost.macosVersion();
    return v ? { macos: v } : {};
  },
  probe: (options, osApi) => probeEslogger(options, osApi ?? realHost),
  create: (options, osApi) => new EsloggerBackend(options, osApi ?? realHost),
};
