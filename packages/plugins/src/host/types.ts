/**
 * Events and statistics reported by the {@link PluginHost}.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';
import type { Alert } from './messages.js';
import type { FailureReason } from './plugin-worker.js';

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
  reason: FailureReason;
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

/** A log line written by a plugin (`ctx.log.*` or its stdout). */
export interface PluginLog {
  plugin: string;
  level: 'info' | 'warn' | 'error';
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
  /** Last resident size of the child process, in bytes. */
  rss: number;
  lastFailure: { reason: FailureReason; message: string; at: string } | undefined;
  /** The permission-model flag the child runs under, or undefined when none is available. */
  sandbox: string | undefined;
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
}
