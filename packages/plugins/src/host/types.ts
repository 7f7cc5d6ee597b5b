/**
 * Events and statistics reported by the {@link PluginHost}.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';
import type { FailureCode, FailureReason, RefusalCode } from './codes.js';
import type { SandboxReport } from './confinement.js';
import type { Alert } from './messages.js';

/** A plugin's finding, with the event it was raised for. */
export interface PluginAlert {
  plugin: string;
  version: string;
  alert: Alert;
  /** The event being handled when `ctx.alert` was called (absent for alerts raised outside onEvent). */
  event: EdrEvent | undefined;
}

/** An exception thrown by `onEvent`; the plugin keeps running. */
export interface PluginEventError {
  plugin: string;
  version: string;
  message: string;
  stack: string | undefined;
  /** The event whose handling threw. */
  event: EdrEvent | undefined;
}

/** A plugin process was killed or died; the host carries on with the others. */
export interface PluginFailure {
  plugin: string;
  version: string;
  /** Stable code of the reason (`ERR_PLUGIN_MEMORY`, `ERR_PLUGIN_TIMEOUT`, …). */
  code: FailureCode;
  reason: FailureReason;
  /** What happened, naming the limit that tripped; plugin text in it is escaped. */
  message: string;
  /** Failures of this plugin within the failure window, this one included. */
  failuresInWindow: number;
  /** Events of the batch that was running (not retried: they may be what triggers the failure). */
  lostEvents: number;
  /** Whether the host will restart the plugin (false once quarantined). */
  willRestart: boolean;
  /** Delay before the restart, in ms. */
  restartInMs: number | undefined;
}

/** A plugin build was quarantined after too many failures. */
export interface PluginQuarantine {
  plugin: string;
  version: string;
  digest: string;
  reason: string;
  /** Last-known-good version restored in its place, if there was one. */
  restoredVersion: string | undefined;
}

/** A log line written by a plugin (`ctx.log.*` or its stdout), escaped to one printable line. */
export interface PluginLog {
  plugin: string;
  level: 'info' | 'warn' | 'error';
  message: string;
}

/**
 * Something the host refused or dropped from a plugin, reported once per plugin and code
 * (the counters in {@link PluginStats} count every occurrence). The plugin keeps running.
 */
export interface PluginRefusal {
  plugin: string;
  version: string;
  code: RefusalCode;
  message: string;
}

/** Lifecycle state of a hosted plugin. */
export type PluginState = 'starting' | 'running' | 'restarting' | 'quarantined' | 'stopped';

/** Counters of one hosted plugin. */
export interface PluginStats {
  plugin: string;
  version: string;
  digest: string;
  state: PluginState;
  /** Batches handled to completion. */
  batches: number;
  /** Events handled to completion. */
  events: number;
  alerts: number;
  /** Exceptions thrown by onEvent. */
  eventErrors: number;
  /** Process failures (timeouts, hangs, memory, exits, crashes). */
  failures: number;
  restarts: number;
  /** Events never handled: in a failed batch, dropped while the queue was full, or after quarantine. */
  lostEvents: number;
  /** Events not delivered because the plugin was quarantined or stopped (reported with the quarantine). */
  skippedEvents: number;
  /** Alerts refused because they did not match the alert schema. */
  invalidAlerts: number;
  /** Alerts refused because the manifest does not declare `alert`. */
  refusedAlerts: number;
  /** Alerts dropped beyond the per-plugin alert rate. */
  droppedAlerts: number;
  /** Log lines refused because the manifest does not declare `log`. */
  refusedLogs: number;
  /** Log lines dropped beyond the per-plugin log rate. */
  droppedLogs: number;
  /** Events that could not be serialised to the plugin and were dropped (not charged to it). */
  unsendableEvents: number;
  /** Batches that took longer than the slow threshold. */
  slowBatches: number;
  /** True while the last batch was slow: the host does not wait for this plugin. */
  slow: boolean;
  /** Process id of the current child process, while one runs. */
  pid: number | undefined;
  /** Resident size of the child process measured by the host, in bytes. */
  rss: number;
  lastFailure: { reason: FailureReason; message: string; at: string } | undefined;
  /**
   * Outcome of each confinement layer of the current process, e.g.
   * `{ identity: 'held', network: 'held', landlock: 'held', cgroupMemory: 'held', permission: 'held' }`
   * or `'unavailable:<reason>'`; see docs/plugins.md. Filled once the process started.
   */
  sandbox: SandboxReport;
}

/** Statistics of a {@link PluginHost}. */
export interface PluginHostStats {
  plugins: PluginStats[];
  /** Batches delivered by the host. */
  batches: number;
  /** Events delivered by the host. */
  events: number;
}

/** Event map of the {@link PluginHost} emitter. */
export interface PluginHostEvents {
  alert: [PluginAlert];
  eventError: [PluginEventError];
  failure: [PluginFailure];
  quarantine: [PluginQuarantine];
  log: [PluginLog];
  refusal: [PluginRefusal];
}
