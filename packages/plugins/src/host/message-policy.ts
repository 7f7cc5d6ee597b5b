/**
 * What a plugin's messages may do, enforced on the host side for every message: the
 * checks inside the child are plugin-controlled (plugin code can write to the channel
 * itself), so capabilities, alert and log rates, the alert schema and text escaping are
 * applied here. Every refusal is counted in the slot's stats; the first of each code is
 * reported through `refuse`.
 *
 * @module
 */
import type { RefusalCode } from './codes.js';
import { AlertSchema } from './messages.js';
import { pluginText } from './plugin-text.js';
import type { WorkerCallbacks } from './plugin-worker.js';
import type { TokenBucket } from './rate-limit.js';
import type { PluginHostEvents, PluginStats } from './types.js';

/** Emits one of the host's events. */
export type Emit = <K extends keyof PluginHostEvents>(name: K, ...args: PluginHostEvents[K]) => void;

/** What {@link enforcingCallbacks} needs from the slot. */
export interface EnforcementContext {
  plugin: string;
  version: string;
  /** Capabilities declared in the verified manifest. */
  capabilities: ReadonlySet<string>;
  policy: { maxAlertsPerSecond: number; alertBurst: number; maxLogsPerSecond: number; logBurst: number };
  alertBucket: TokenBucket;
  logBucket: TokenBucket;
  /** Counters, updated in place. */
  stats: Pick<PluginStats, 'alerts' | 'invalidAlerts' | 'refusedAlerts' | 'droppedAlerts' | 'refusedLogs' | 'droppedLogs' | 'eventErrors' | 'unsendableEvents'>;
  refuse(code: RefusalCode, message: string): void;
  emit: Emit;
}

/** Worker callbacks that enforce the plugin's capabilities and rates before anything reaches the host's listeners. */
export function enforcingCallbacks(c: EnforcementContext): WorkerCallbacks {
  const { plugin, version, capabilities, policy, stats } = c;
  return {
    alert: (alert, event) => {
      if (!capabilities.has('alert')) {
        stats.refusedAlerts++;
        c.refuse('ERR_PLUGIN_CAPABILITY', "alert refused: the manifest does not declare the 'alert' capability");
        return;
      }
      if (!c.alertBucket.take()) {
        stats.droppedAlerts++;
        c.refuse('ERR_PLUGIN_ALERT_RATE', `alerts dropped: more than ${policy.maxAlertsPerSecond}/s (burst ${policy.alertBurst})`);
        return;
      }
      const parsed = AlertSchema.safeParse(alert);
      if (!parsed.success) {
        stats.invalidAlerts++;
        c.refuse('ERR_PLUGIN_INVALID_ALERT', `invalid alert refused: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'alert'}: ${i.message}`).join('; ')}`);
        return;
      }
      stats.alerts++;
      c.emit('alert', { plugin, version, alert: { ...parsed.data, title: pluginText(parsed.data.title, 500) }, event });
    },
    error: (error, event) => {
      stats.eventErrors++;
      c.emit('eventError', { plugin, version, message: pluginText(error.message), stack: error.stack, event });
    },
    // ctx.log lines and stdout alike: both need the `log` capability and share its rate.
    log: (level, message) => {
      if (!capabilities.has('log')) {
        stats.refusedLogs++;
        c.refuse('ERR_PLUGIN_CAPABILITY', "log refused: the manifest does not declare the 'log' capability");
        return;
      }
      if (!c.logBucket.take()) {
        stats.droppedLogs++;
        c.refuse('ERR_PLUGIN_LOG_RATE', `log lines dropped: more than ${policy.maxLogsPerSecond}/s (burst ${policy.logBurst})`);
        return;
      }
      c.emit('log', { plugin, level, message: pluginText(message) });
    },
    unsendable: (count, reason) => {
      stats.unsendableEvents += count;
      c.refuse('ERR_PLUGIN_UNSENDABLE_EVENT', `${count} event(s) could not be serialised to the plugin and were dropped: ${reason}`);
    },
  };
}
