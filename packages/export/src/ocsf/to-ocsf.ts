/**
 * `toOCSF`: one edrkit event to one OCSF 1.x record. The per-class mappings live beside this
 * file; docs/events.md has the table for every kind.
 *
 * @module
 */
import { InvalidArgumentError, type EdrEvent, type EventOfKind } from '@edrkit/core';
import type { ExportOptions } from '../options.js';
import { compact, Leftovers } from '../unmapped.js';
import { OCSF_CLASSES } from './catalog.js';
import { ocsfEnvelope } from './envelope.js';
import { dnsQuery, netActivity } from './network.js';
import { registryActivity } from './registry.js';
import { fileActivity, imageLoad, kmodLoad, processExec, processExit, processFork } from './system.js';
import { accountActivity, authActivity } from './iam.js';
import { serviceActivity, taskActivity, wmiActivity } from './persistence.js';
import { bpfLoad, processTarget, scriptContent, sensorLifecycle, volumeOrPipe } from './activity.js';
import { processCredentials } from './credentials.js';
import type { OcsfEvent, OcsfEventLogActivity } from './types.js';

/**
 * `sensor.lost` -> Event Log Activity (1008), activity Other (OCSF has no "dropped" activity):
 * the sensor's own event log lost records. Severity Medium, status Failure, the reason as
 * `status_detail`, count and stage in `message` and `unmapped`.
 */
function sensorLost(event: EventOfKind<'sensor.lost'>, options: ExportOptions, left: Leftovers): OcsfEventLogActivity {
  const { count, reason, stage } = event.lost;
  left.add('lost.count', count);
  left.add('lost.stage', stage);
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.eventLogActivity, 99, options, left, 'medium'),
    class_uid: 1008,
    activity_name: 'Events Dropped',
    message: `edrkit dropped ${count} event${count === 1 ? '' : 's'}${stage ? ` at the ${stage} stage` : ''}: ${reason}`,
    status_id: 2,
    status: 'Failure',
    status_detail: reason,
    log_provider: 'edrkit',
    log_name: event.source,
  };
}

function mapEvent(event: EdrEvent, options: ExportOptions, left: Leftovers): OcsfEvent {
  switch (event.kind) {
    case 'process.exec':
      return processExec(event, options, left);
    case 'process.fork':
      return processFork(event, options, left);
    case 'process.exit':
      return processExit(event, options, left);
    case 'file.create':
    case 'file.open':
    case 'file.modify':
    case 'file.delete':
    case 'file.rename':
    case 'file.attr':
      return fileActivity(event, options, left);
    case 'net.connect':
    case 'net.accept':
    case 'net.listen':
      return netActivity(event, options, left);
    case 'dns.query':
      return dnsQuery(event, options, left);
    case 'image.load':
      return imageLoad(event, options, left);
    case 'kmod.load':
      return kmodLoad(event, options, left);
    case 'registry.set':
    case 'registry.create':
    case 'registry.delete':
    case 'registry.rename':
      return registryActivity(event, options, left);
    case 'sensor.lost':
      return sensorLost(event, options, left);
    case 'auth.logon':
    case 'auth.logoff':
    case 'auth.failed':
      return authActivity(event, options, left);
    case 'account.create':
    case 'account.modify':
    case 'account.delete':
      return accountActivity(event, options, left);
    case 'service.create':
    case 'service.modify':
    case 'service.delete':
      return serviceActivity(event, options, left);
    case 'task.create':
    case 'task.modify':
    case 'task.delete':
      return taskActivity(event, options, left);
    case 'wmi.filter':
    case 'wmi.consumer':
    case 'wmi.binding':
      return wmiActivity(event, options, left);
    case 'process.access':
    case 'process.tamper':
      return processTarget(event, options, left);
    case 'script.content':
      return scriptContent(event, options, left);
    case 'bpf.load':
      return bpfLoad(event, options, left);
    case 'volume.mount':
    case 'volume.unmount':
    case 'pipe.create':
    case 'pipe.connect':
      return volumeOrPipe(event, options, left);
    case 'sensor.start':
    case 'sensor.stop':
      return sensorLifecycle(event, options, left);
    case 'process.credentials':
      return processCredentials(event, options, left);
    default: {
      const kind: unknown = (event as { kind?: unknown }).kind;
      throw new InvalidArgumentError(
        `toOCSF: unknown event kind ${JSON.stringify(kind)}; pass events that passed parseEvent() from @edrkit/core`,
      );
    }
  }
}

/**
 * Map an edrkit event to an OCSF 1.x record (a plain JSON-ready object).
 *
 * Every kind maps to a class (see docs/events.md): process.* -> Process Activity 1007,
 * file.* -> File System Activity 1001, net.* -> Network Activity 4001, dns.query -> DNS
 * Activity 4003, image.load -> Module Activity 1005, kmod.load -> Kernel Extension Activity
 * 1002, registry.* -> Registry Key/Value Activity 201001/201002 (Windows extension),
 * sensor.lost -> Event Log Activity 1008; the v1.1 kinds: auth.* -> Authentication 3002,
 * account.* -> Account Change 3001, service.* -> Windows Service Activity 201004, task.* and
 * wmi.* -> Scheduled Job Activity 1006, process.access/tamper -> Process Activity 1007 (Open,
 * Inject), script.content -> Script Activity 1009, bpf.load -> Kernel Extension Activity 1002,
 * volume.* and pipe.* -> File System Activity 1001, sensor.start/stop -> Application
 * Lifecycle 6002; the v1.2 kind process.credentials -> Process Activity 1007 (Set User ID).
 * Fields OCSF has no attribute for are kept in
 * `unmapped`, keyed by their edrkit field path.
 *
 * @param event a valid v1 event (as `parseEvent` returns or a sensor yields)
 * @throws {@link @edrkit/core!InvalidArgumentError} only when `event.kind` is not a v1 kind
 */
export function toOCSF(event: EdrEvent, options: ExportOptions = {}): OcsfEvent {
  const left = new Leftovers();
  const record = mapEvent(event, options, left);
  const unmapped = left.toObject();
  return compact(unmapped ? { ...record, unmapped } : record);
}
