/**
 * Stable codes of what can happen to a running plugin: why its process was stopped, and
 * what the host refused or dropped from it. Kept apart from the package/trust codes in
 * errors.ts: these name run-time events, reported through `failure` and `refusal` events
 * and `stats()`, not thrown.
 *
 * @module
 */

/** Why a plugin process was stopped. */
export type FailureReason = 'timeout' | 'heartbeat' | 'memory' | 'cpu' | 'exit' | 'crash' | 'setup' | 'protocol' | 'slow';

/** Code of each {@link FailureReason}. */
export const FAILURE_CODES = {
  timeout: 'ERR_PLUGIN_TIMEOUT',
  heartbeat: 'ERR_PLUGIN_HEARTBEAT',
  memory: 'ERR_PLUGIN_MEMORY',
  cpu: 'ERR_PLUGIN_CPU',
  exit: 'ERR_PLUGIN_EXIT',
  crash: 'ERR_PLUGIN_CRASH',
  setup: 'ERR_PLUGIN_SETUP',
  protocol: 'ERR_PLUGIN_PROTOCOL',
  slow: 'ERR_PLUGIN_SLOW',
} as const satisfies Record<FailureReason, string>;

/** Code of a plugin failure. */
export type FailureCode = (typeof FAILURE_CODES)[FailureReason];

/** What the host refused or dropped from a plugin (the plugin keeps running). */
export type RefusalCode =
  /** An alert or log from a plugin whose manifest does not declare that capability. */
  | 'ERR_PLUGIN_CAPABILITY'
  /** An alert that does not match the alert schema. */
  | 'ERR_PLUGIN_INVALID_ALERT'
  /** Alerts beyond the per-plugin alert rate. */
  | 'ERR_PLUGIN_ALERT_RATE'
  /** Log lines (ctx.log or stdout) beyond the per-plugin log rate. */
  | 'ERR_PLUGIN_LOG_RATE'
  /** An event that cannot be serialised to the child (too deep, cyclic, BigInt): dropped, not charged to the plugin. */
  | 'ERR_PLUGIN_UNSENDABLE_EVENT'
  /** A batch overran the slow-batch threshold: the plugin is flagged slow. */
  | 'ERR_PLUGIN_SLOW_BATCH';
