/**
 * Operational channels with one job each: PowerShell script blocks (4104 →
 * `script.content`), WMI-Activity permanent subscriptions (5861 → `wmi.binding`) and Task
 * Scheduler registrations (106 / 140 / 141 → `task.*`). These records name no acting process
 * beyond the one that wrote them, which is what `process` gets.
 *
 * @module
 */
import { MAX_SCRIPT_CONTENT, type EventDraft } from '@edrkit/core';
import { envelope, processOf, requiredText, text } from './record-fields.js';
import type { WindowsRecord } from './windows-record.js';

/** Microsoft-Windows-PowerShell 4104: one script block (or one part of a long one). */
export function mapPowerShell(r: WindowsRecord): EventDraft[] {
  if (r.eventId !== 4104) return [];
  const code = typeof r.data['ScriptBlockText'] === 'string' ? r.data['ScriptBlockText'] : requiredText(r, 'ScriptBlockText');
  const truncated = code.length > MAX_SCRIPT_CONTENT;
  const path = text(r, 'Path');
  return [
    {
      kind: 'script.content',
      ...envelope(r),
      process: processOf(r, {}),
      script: { interpreter: 'powershell', content: truncated ? code.slice(0, MAX_SCRIPT_CONTENT) : code, truncated, ...(path ? { path } : {}) },
    },
  ];
}

/** Microsoft-Windows-WMI-Activity 5861: a permanent event consumer was bound to a filter. */
export function mapWmiActivity(r: WindowsRecord): EventDraft[] {
  if (r.eventId !== 5861) return [];
  const consumer = requiredText(r, 'CONSUMER');
  const filter = text(r, 'ESS');
  const namespace = text(r, 'Namespace');
  return [{ kind: 'wmi.binding', ...envelope(r), process: processOf(r, {}), wmi: { name: consumer, consumer, ...(filter ? { filter } : {}), ...(namespace ? { namespace } : {}), operation: 'created' } }];
}

const TASK_KINDS: Readonly<Record<number, 'task.create' | 'task.modify' | 'task.delete'>> = { 106: 'task.create', 140: 'task.modify', 141: 'task.delete' };

/** Microsoft-Windows-TaskScheduler 106 registered, 140 updated, 141 deleted. */
export function mapTaskScheduler(r: WindowsRecord): EventDraft[] {
  const kind = TASK_KINDS[r.eventId];
  if (!kind) return [];
  const name = requiredText(r, 'TaskName');
  const user = text(r, 'UserContext') ?? text(r, 'UserName');
  return [{ kind, ...envelope(r), process: processOf(r, {}), task: { name, path: name, scheduler: 'task-scheduler', ...(user ? { user } : {}) } }];
}
