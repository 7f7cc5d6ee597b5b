/**
 * Endpoint Security event names, as eslogger takes them on its command line and writes them
 * as the key of `event`, with their `es_event_type_t` NOTIFY values (ESTypes.h; the enum
 * only grows, so a value never changes meaning). {@link SUBSCRIBED_EVENTS} is what the
 * backends subscribe to by default; open and mmap are opt-in (`file.open`, `image.load`).
 *
 * @module
 */
import type { ObservableKind } from '@edrkit/core';

/** NOTIFY event types edrkit maps, by eslogger name → `es_event_type_t` value. */
export const ES_NOTIFY_EVENTS = {
  exec: 9,
  open: 10,
  fork: 11,
  close: 12,
  create: 13,
  exit: 15,
  get_task: 16,
  kextload: 17,
  link: 19,
  mmap: 20,
  mount: 22,
  unmount: 23,
  rename: 25,
  setattrlist: 26,
  setextattr: 27,
  setflags: 28,
  setmode: 29,
  setowner: 30,
  unlink: 32,
  write: 33,
  truncate: 41,
  deleteextattr: 70,
  setacl: 82,
  get_task_name: 95,
  trace: 96,
  remote_thread_create: 97,
  get_task_read: 101,
  get_task_inspect: 102,
  authentication: 111,
  xp_malware_detected: 112,
  xp_malware_remediated: 113,
  lw_session_login: 114,
  lw_session_logout: 115,
  lw_session_lock: 116,
  lw_session_unlock: 117,
  screensharing_attach: 118,
  screensharing_detach: 119,
  openssh_login: 120,
  openssh_logout: 121,
  login_login: 122,
  login_logout: 123,
  btm_launch_item_add: 124,
  btm_launch_item_remove: 125,
  su: 128,
  sudo: 131,
  od_group_add: 132,
  od_group_remove: 133,
  od_modify_password: 135,
  od_disable_user: 136,
  od_enable_user: 137,
  od_attribute_value_add: 138,
  od_attribute_value_remove: 139,
  od_attribute_set: 140,
  od_create_user: 141,
  od_delete_user: 143,
  tcc_modify: 147,
} as const;

/** An ES event name edrkit knows. */
export type EsEventName = keyof typeof ES_NOTIFY_EVENTS;

/** The first macOS release with each event (the rest are 10.15): for probes and docs. */
export const ES_EVENT_SINCE: Partial<Record<EsEventName, string>> = {
  get_task_name: '11.0',
  trace: '11.0',
  remote_thread_create: '11.0',
  get_task_read: '11.3',
  get_task_inspect: '11.3',
  ...Object.fromEntries(
    ['authentication', 'xp_malware_detected', 'xp_malware_remediated', 'lw_session_login', 'lw_session_logout', 'lw_session_lock', 'lw_session_unlock', 'screensharing_attach', 'screensharing_detach', 'openssh_login', 'openssh_logout', 'login_login', 'login_logout', 'btm_launch_item_add', 'btm_launch_item_remove'].map((n) => [n, '13.0']),
  ),
  ...Object.fromEntries(['su', 'sudo', 'od_group_add', 'od_group_remove', 'od_modify_password', 'od_disable_user', 'od_enable_user', 'od_attribute_value_add', 'od_attribute_value_remove', 'od_attribute_set', 'od_create_user', 'od_delete_user'].map((n) => [n, '14.0'])),
  tcc_modify: '15.4',
};

/** The ES events that produce each edrkit kind (what to subscribe to for a set of kinds). */
export const ES_EVENTS_BY_KIND: Partial<Record<ObservableKind, readonly EsEventName[]>> = {
  'process.exec': ['exec'],
  'process.fork': ['fork'],
  'process.exit': ['exit'],
  'file.create': ['create', 'link'],
  'file.open': ['open'],
  'file.modify': ['write', 'close', 'truncate'],
  'file.delete': ['unlink'],
  'file.rename': ['rename'],
  'file.attr': ['setmode', 'setowner', 'setflags', 'setextattr', 'deleteextattr', 'setacl', 'setattrlist'],
  'image.load': ['mmap'],
  'kmod.load': ['kextload'],
  'volume.mount': ['mount'],
  'volume.unmount': ['unmount'],
  'process.access': ['get_task', 'get_task_read', 'get_task_inspect', 'get_task_name', 'trace'],
  'process.tamper': ['remote_thread_create'],
  'auth.logon': ['lw_session_login', 'lw_session_unlock', 'login_login', 'openssh_login', 'screensharing_attach', 'sudo', 'su'],
  'auth.logoff': ['lw_session_logout', 'lw_session_lock', 'login_logout', 'openssh_logout', 'screensharing_detach'],
  'auth.failed': ['login_login', 'openssh_login', 'screensharing_attach', 'sudo', 'su', 'authentication'],
  'account.create': ['od_create_user'],
  'account.modify': ['od_modify_password', 'od_enable_user', 'od_disable_user', 'od_group_add', 'od_group_remove', 'od_attribute_value_add', 'od_attribute_value_remove', 'od_attribute_set'],
  'account.delete': ['od_delete_user'],
  'service.create': ['btm_launch_item_add'],
  'service.delete': ['btm_launch_item_remove'],
  'task.create': ['btm_launch_item_add'],
  'task.delete': ['btm_launch_item_remove'],
};

/** Kinds off unless asked for by name (high volume): their ES events are opt-in too. */
export const OPT_IN_EVENTS: readonly EsEventName[] = ['open', 'mmap'];

/** The ES events to subscribe to for `kinds`, in a stable order, without duplicates. */
export function esEventsFor(kinds: readonly ObservableKind[]): EsEventName[] {
  const wanted = new Set<EsEventName>();
  for (const k of kinds) for (const e of ES_EVENTS_BY_KIND[k] ?? []) wanted.add(e);
  return (Object.keys(ES_NOTIFY_EVENTS) as EsEventName[]).filter((e) => wanted.has(e));
}
