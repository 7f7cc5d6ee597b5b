/**
 * Which Event Log channels the `windows-eventlog` backend subscribes to for the kinds asked
 * for, with XPath queries narrowed to the event ids edrkit maps (the Security log is busy).
 *
 * @module
 */
import type { KindSupport, ObservableKind } from '@edrkit/core';

/** One channel subscription. */
export interface ChannelQuery {
  channel: string;
  query: string;
  /** Why edrkit reads it (for messages). */
  carries: string;
}

const ids = (list: number[]) => `*[System[(${list.map((i) => `EventID=${i}`).join(' or ')})]]`;

const SECURITY: ChannelQuery = { channel: 'Security', query: ids([4624, 4625, 4634, 4647, 4697, 4698, 4699, 4700, 4701, 4702, 4720, 4722, 4723, 4724, 4725, 4726, 4738]), carries: 'logons, accounts, services and tasks' };
const SYSTEM: ChannelQuery = { channel: 'System', query: `*[System[Provider[@Name='Service Control Manager'] and (EventID=7045 or EventID=7040)]]`, carries: 'service installs and changes' };
const SYSMON: ChannelQuery = { channel: 'Microsoft-Windows-Sysmon/Operational', query: '*', carries: 'Sysmon events' };
const POWERSHELL: ChannelQuery = { channel: 'Microsoft-Windows-PowerShell/Operational', query: ids([4104]), carries: 'script blocks' };
const TASKS: ChannelQuery = { channel: 'Microsoft-Windows-TaskScheduler/Operational', query: ids([106, 140, 141]), carries: 'scheduled tasks' };
const WMI: ChannelQuery = { channel: 'Microsoft-Windows-WMI-Activity/Operational', query: ids([5861]), carries: 'WMI subscriptions' };

/** Kinds only the Event Log carries (Security, System, Task Scheduler, WMI-Activity, PowerShell). */
const LOG_KINDS: Partial<Record<ObservableKind, ChannelQuery[]>> = {
  'auth.logon': [SECURITY],
  'auth.logoff': [SECURITY],
  'auth.failed': [SECURITY],
  'account.create': [SECURITY],
  'account.modify': [SECURITY],
  'account.delete': [SECURITY],
  'service.create': [SYSTEM, SECURITY],
  'service.modify': [SYSTEM],
  'task.create': [SECURITY, TASKS],
  'task.modify': [SECURITY, TASKS],
  'task.delete': [SECURITY, TASKS],
  'script.content': [POWERSHELL],
  'wmi.binding': [WMI, SYSMON],
};

/** Kinds Sysmon writes to its channel (when Sysmon is installed). */
const SYSMON_KINDS: readonly ObservableKind[] = [
  'process.exec', 'process.exit', 'net.connect', 'net.accept', 'kmod.load', 'image.load', 'process.tamper', 'process.access', 'file.create',
  'registry.create', 'registry.set', 'registry.delete', 'registry.rename', 'pipe.create', 'pipe.connect', 'wmi.filter', 'wmi.consumer', 'dns.query', 'file.delete',
];

/** What `windows-eventlog` can produce, kind by kind. */
export function eventLogKindSupport(kind: ObservableKind): KindSupport {
  if (LOG_KINDS[kind]) return { supported: true, note: `from ${LOG_KINDS[kind]!.map((c) => c.channel).join(', ')}` };
  if (SYSMON_KINDS.includes(kind)) return { supported: true, note: 'from Microsoft-Windows-Sysmon/Operational: needs Sysmon installed' };
  return { supported: false, reason: 'no Event Log channel edrkit maps carries it (see docs/windows.md)' };
}

/** The subscriptions for `kinds` (or the `channels` named by the user, all events of each). */
export function channelsFor(kinds: readonly ObservableKind[], channels?: readonly string[]): ChannelQuery[] {
  if (channels?.length) return channels.map((channel) => ({ channel, query: '*', carries: 'events (named by the channels option)' }));
  const out = new Map<string, ChannelQuery>();
  for (const kind of kinds) {
    for (const c of LOG_KINDS[kind] ?? []) out.set(c.channel, c);
    if (SYSMON_KINDS.includes(kind)) out.set(SYSMON.channel, SYSMON);
  }
  return [...out.values()];
}
