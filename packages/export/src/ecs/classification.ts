/**
 * ECS `event.category`, `event.type` and `event.action` of each edrkit kind (category and
 * type use ECS's allowed values and the types ECS expects of each category).
 *
 * @module
 */
import type { EventKind } from '@edrkit/core';

/** ECS `event.category`, `event.type` and `event.action` per kind. */
export const ECS_EVENT_CLASSIFICATION: Readonly<Record<EventKind, { category: string[]; type: string[]; action: string }>> = {
  'process.exec': { category: ['process'], type: ['start'], action: 'exec' },
  'process.fork': { category: ['process'], type: ['start'], action: 'fork' },
  'process.exit': { category: ['process'], type: ['end'], action: 'exit' },
  'file.create': { category: ['file'], type: ['creation'], action: 'creation' },
  'file.open': { category: ['file'], type: ['access'], action: 'open' },
  'file.modify': { category: ['file'], type: ['change'], action: 'modification' },
  'file.delete': { category: ['file'], type: ['deletion'], action: 'deletion' },
  'file.rename': { category: ['file'], type: ['change'], action: 'rename' },
  'file.attr': { category: ['file'], type: ['change'], action: 'attributes_modification' },
  'net.connect': { category: ['network'], type: ['start', 'connection'], action: 'connection_attempted' },
  'net.accept': { category: ['network'], type: ['start', 'connection'], action: 'connection_accepted' },
  'net.listen': { category: ['network'], type: ['start'], action: 'listen' },
  'dns.query': { category: ['network'], type: ['protocol'], action: 'lookup_requested' },
  'image.load': { category: ['library'], type: ['start'], action: 'load' },
  'kmod.load': { category: ['driver'], type: ['start'], action: 'load' },
  'registry.set': { category: ['registry'], type: ['change'], action: 'modification' },
  'registry.create': { category: ['registry'], type: ['creation'], action: 'creation' },
  'registry.delete': { category: ['registry'], type: ['deletion'], action: 'deletion' },
  'registry.rename': { category: ['registry'], type: ['change'], action: 'rename' },
  'sensor.lost': { category: ['host'], type: ['info'], action: 'events_dropped' },
  'auth.logon': { category: ['authentication', 'session'], type: ['start'], action: 'logged_in' },
  'auth.logoff': { category: ['authentication', 'session'], type: ['end'], action: 'logged_out' },
  'auth.failed': { category: ['authentication'], type: ['start'], action: 'logon_failed' },
  'account.create': { category: ['iam'], type: ['user', 'creation'], action: 'user_created' },
  'account.modify': { category: ['iam'], type: ['user', 'change'], action: 'user_modified' },
  'account.delete': { category: ['iam'], type: ['user', 'deletion'], action: 'user_deleted' },
  'service.create': { category: ['configuration'], type: ['creation'], action: 'service_installed' },
  'service.modify': { category: ['configuration'], type: ['change'], action: 'service_modified' },
  'service.delete': { category: ['configuration'], type: ['deletion'], action: 'service_deleted' },
  'task.create': { category: ['configuration'], type: ['creation'], action: 'scheduled_task_created' },
  'task.modify': { category: ['configuration'], type: ['change'], action: 'scheduled_task_modified' },
  'task.delete': { category: ['configuration'], type: ['deletion'], action: 'scheduled_task_deleted' },
  'process.access': { category: ['process'], type: ['access'], action: 'process_access' },
  'process.tamper': { category: ['process'], type: ['change'], action: 'process_tampering' },
  'script.content': { category: ['process'], type: ['info'], action: 'script_content' },
  'bpf.load': { category: ['driver'], type: ['start'], action: 'bpf_load' },
  'volume.mount': { category: ['host'], type: ['change'], action: 'mounted' },
  'volume.unmount': { category: ['host'], type: ['change'], action: 'unmounted' },
  'pipe.create': { category: ['file'], type: ['creation'], action: 'pipe_created' },
  'pipe.connect': { category: ['file'], type: ['access'], action: 'pipe_connected' },
  'wmi.filter': { category: ['configuration'], type: ['creation'], action: 'wmi_filter' },
  'wmi.consumer': { category: ['configuration'], type: ['creation'], action: 'wmi_consumer' },
  'wmi.binding': { category: ['configuration'], type: ['creation'], action: 'wmi_binding' },
  'sensor.start': { category: ['host'], type: ['start'], action: 'sensor_started' },
  'sensor.stop': { category: ['host'], type: ['end'], action: 'sensor_stopped' },
  'process.credentials': { category: ['process'], type: ['change'], action: 'credentials_changed' },
};
