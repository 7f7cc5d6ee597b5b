/**
 * Options shared by the OCSF and ECS exporters, and how host identity is resolved.
 *
 * @module
 */
import { hostname as osHostname } from 'node:os';
import type { EdrEvent, Platform } from '@edrkit/core';

/** Options of {@link toOCSF} and {@link toECS}. Every field is optional. */
export interface ExportOptions {
  /**
   * Host name of the machine the event was observed on (OCSF `device.hostname`, ECS `host.hostname`).
   * Default: `os.hostname()` for live events; none for events whose `source` is `replay`,
   * because a recording may come from another machine (pass it explicitly when replaying).
   */
  hostname?: string;
  /** Operating system details (OCSF `device.os`, ECS `host.os`). The OS family always comes from `event.platform`. */
  os?: {
    /** Display name, e.g. `Ubuntu`. Default: `Linux`, `Windows` or `macOS`. */
    name?: string;
    /** OS version, e.g. `24.04` or `10.0.22631`. */
    version?: string;
    /** Kernel release (`uname -r`). */
    kernelRelease?: string;
  };
  /** Product version written to OCSF `metadata.product.version` / ECS `agent.version`. Default: this package's version. */
  productVersion?: string;
  /**
   * Keep `raw` (backend-specific extras) in the output: OCSF `unmapped.raw`, ECS `edrkit.raw`.
   * Default `true` (nothing is dropped silently); set `false` for smaller records.
   */
  includeRaw?: boolean;
}

/** The host name to report for `event`, or `undefined` when it is not known (see {@link ExportOptions.hostname}). */
export function resolveHostname(event: EdrEvent, options: ExportOptions): string | undefined {
  if (options.hostname !== undefined && options.hostname !== '') return options.hostname;
  if (event.source === 'replay') return undefined;
  // Looked up once: exporters run per event and the host name is a system call away.
  localHostname ??= osHostname() || '';
  return localHostname || undefined;
}

let localHostname: string | undefined;

/** Display name of each platform's OS family. */
export const PLATFORM_OS_NAME: Readonly<Record<Platform, string>> = {
  linux: 'Linux',
  windows: 'Windows',
  macos: 'macOS',
};
