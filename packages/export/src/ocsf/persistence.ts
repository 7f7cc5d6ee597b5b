/**
 * OCSF mappings of persistence kinds: `service.*` -> Windows Service Activity (201004, the
 * Windows extension: OCSF's only service class, used for systemd units and launchd daemons
 * too, as its object is OS-neutral), `task.*` and `wmi.*` -> Scheduled Job Activity (1006).
 *
 * @module
 */
import type { EventOfKind } from '@edrkit/core';
import type { ExportOptions } from '../options.js';
import type { Leftovers } from '../unmapped.js';
import { JOB_TYPE, OCSF_CLASSES, SERVICE_START_TYPE, WINDOWS_EXTENSION } from './catalog.js';
import { ocsfEnvelope } from './envelope.js';
import { ocsfFile } from './objects.js';
import { ocsfActor } from './system.js';
import type { OcsfJob, OcsfScheduledJobActivity, OcsfWindowsServiceActivity } from './types.js';

type ServiceKind = 'service.create' | 'service.modify' | 'service.delete';
type TaskKind = 'task.create' | 'task.modify' | 'task.delete';
type WmiKind = 'wmi.filter' | 'wmi.consumer' | 'wmi.binding';

const CHANGE_ACTIVITY = { create: 1, modify: 2, delete: 3 } as const;

/** A job's command as OCSF 1.9 wants it: one Execute action (`job.cmd_line` is deprecated). */
function execAction(command: string | undefined): OcsfJob['job_actions'] {
  return command !== undefined ? [{ type_id: 2, type: 'Execute', cmd_line: command }] : undefined;
}

/**
 * `service.create` -> Create 1, `service.modify` -> Reconfigure 2, `service.delete` -> Delete 7.
 * `win_service.service_file` is where the service is defined (unit file, plist, or the
 * service's registry key on Windows); the start type is always set (0 Unknown when not
 * observed), which also satisfies the object's at-least-one constraint.
 */
export function serviceActivity(event: EventOfKind<ServiceKind>, options: ExportOptions, left: Leftovers): OcsfWindowsServiceActivity {
  const { service } = event;
  const actor = ocsfActor(event, left);
  const activityId = event.kind === 'service.create' ? 1 : event.kind === 'service.modify' ? 2 : 7;
  const base = ocsfEnvelope(event, OCSF_CLASSES.windowsServiceActivity, activityId, options, left);
  const [startTypeId, startType] = service.startType ? SERVICE_START_TYPE[service.startType] : [0, 'Unknown'];
  // A registry key is not a file; keep it as such instead of inventing a file object.
  const onRegistry = /^(HK[A-Z_]+|\\REGISTRY)\\/i.test(service.path);
  if (onRegistry) left.add('service.path', service.path);
  return {
    ...base,
    class_uid: 201004,
    metadata: { ...base.metadata, extensions: [{ ...WINDOWS_EXTENSION }] },
    actor,
    win_service: {
      name: service.name,
      cmd_line: service.command,
      service_file: onRegistry ? undefined : ocsfFile(service.path, event.platform),
      service_start_type_id: startTypeId,
      service_start_type: startType,
      service_start_name: service.user,
    },
  };
}

/** `task.*` -> Scheduled Job Activity: Create 1, Update 2, Delete 3; `job.type_id` from the scheduler. */
export function taskActivity(event: EventOfKind<TaskKind>, options: ExportOptions, left: Leftovers): OcsfScheduledJobActivity {
  const { task } = event;
  const actor = ocsfActor(event, left);
  const activityId = CHANGE_ACTIVITY[event.kind.slice(5) as keyof typeof CHANGE_ACTIVITY];
  const base = ocsfEnvelope(event, OCSF_CLASSES.scheduledJobActivity, activityId, options, left);
  const [typeId, type] = (task.scheduler ? JOB_TYPE[task.scheduler] : undefined) ?? (task.scheduler ? [99, task.scheduler] : [0, 'Unknown']);
  // OCSF's job_triggers object wants parsed trigger data; the schedule text is kept as is.
  left.add('task.schedule', task.schedule);
  const job: OcsfJob = {
    name: task.name,
    job_actions: execAction(task.command),
    file: task.path !== undefined ? ocsfFile(task.path, event.platform) : undefined,
    type_id: typeId,
    type,
    user: task.user !== undefined ? { name: task.user } : undefined,
  };
  return { ...base, class_uid: 1006, actor, job };
}

/**
 * `wmi.*` -> Scheduled Job Activity: Create 1 (Delete 3 for `operation: deleted`), job type
 * Other "WMI event subscription". OCSF has no WMI class; a permanent subscription is a job
 * run on a trigger (the filter's query) — the closest OCSF concept. The query is `desc`, the
 * consumer's command an Execute `job_actions` entry; namespace, consumer and filter names go to `unmapped`.
 */
export function wmiActivity(event: EventOfKind<WmiKind>, options: ExportOptions, left: Leftovers): OcsfScheduledJobActivity {
  const { wmi } = event;
  const actor = ocsfActor(event, left);
  const base = ocsfEnvelope(event, OCSF_CLASSES.scheduledJobActivity, wmi.operation === 'deleted' ? 3 : 1, options, left);
  left.add('wmi.namespace', wmi.namespace);
  left.add('wmi.consumer', wmi.consumer);
  left.add('wmi.filter', wmi.filter);
  return {
    ...base,
    class_uid: 1006,
    actor,
    job: { name: wmi.name, desc: wmi.query, job_actions: execAction(wmi.destination), type_id: 99, type: 'WMI event subscription' },
  };
}
