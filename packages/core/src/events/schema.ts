/**
 * The edrkit event model (v1.2) as zod schemas. Every backend (Linux eBPF, Windows ETW,
 * macOS Endpoint Security, replay) emits objects that pass {@link EventSchema}; the
 * TypeScript types are inferred from these schemas so the two can never drift.
 *
 * Objects are strict: an unknown field is an error that names it, so a typo in a
 * recording or a backend bug is caught instead of silently carried along. Free-form,
 * platform-specific extras belong under `raw.<platform>`.
 *
 * @module
 */
import { z } from 'zod';

import { envelope, FileRefSchema, NetSchema, OpenFlagSchema, PidSchema, RegistrySchema, withProcess } from './base.js';
import {
  AccessSchema,
  AccountSchema,
  AuthSchema,
  BpfSchema,
  PipeSchema,
  ScriptSchema,
  SensorInfoSchema,
  ServiceSchema,
  TamperTechniqueSchema,
  TargetProcessSchema,
  TaskSchema,
  VolumeSchema,
  WmiSchema,
} from './payloads.js';
import { CredentialsSchema } from './credentials.js';

export * from './base.js';
export * from './payloads.js';
export * from './credentials.js';

/** `process.exec`: `process` is the new image. */
export const ProcessExecSchema = z.strictObject({ kind: z.literal('process.exec'), ...withProcess });
/** `process.fork`: `process` is the parent, `child` the new process. */
export const ProcessForkSchema = z.strictObject({
  kind: z.literal('process.fork'),
  ...withProcess,
  child: z.strictObject({ pid: PidSchema, startTime: z.number().optional() }),
});
/** `process.exit`: exit status or the terminating signal number. */
export const ProcessExitSchema = z.strictObject({
  kind: z.literal('process.exit'),
  ...withProcess,
  exitCode: z.number().int().optional(),
  signal: z.number().int().nonnegative().optional(),
});
/** `file.create`: a new file. */
export const FileCreateSchema = z.strictObject({ kind: z.literal('file.create'), ...withProcess, file: FileRefSchema });
/** `file.open`: a file opened (off by default: high volume). */
export const FileOpenSchema = z.strictObject({
  kind: z.literal('file.open'),
  ...withProcess,
  file: FileRefSchema,
  flags: z.array(OpenFlagSchema),
});
/** `file.modify`: a file opened for writing or truncated (see docs/events.md). */
export const FileModifySchema = z.strictObject({ kind: z.literal('file.modify'), ...withProcess, file: FileRefSchema });
/** `file.delete`: a file or directory removed. */
export const FileDeleteSchema = z.strictObject({ kind: z.literal('file.delete'), ...withProcess, file: FileRefSchema });
/** `file.rename`: `file` is the old path, `target` the new one. */
export const FileRenameSchema = z.strictObject({
  kind: z.literal('file.rename'),
  ...withProcess,
  file: FileRefSchema,
  target: FileRefSchema,
});
/** `file.attr`: mode or ownership changed. */
export const FileAttrSchema = z.strictObject({
  kind: z.literal('file.attr'),
  ...withProcess,
  file: FileRefSchema,
  mode: z.number().int().nonnegative().optional(),
  owner: z
    .strictObject({
      uid: z.number().int().optional(),
      gid: z.number().int().optional(),
      sid: z.string().optional(),
    })
    .optional(),
});
/** `net.connect`: an outbound connection (TCP) or first send to a peer (UDP). */
export const NetConnectSchema = z.strictObject({ kind: z.literal('net.connect'), ...withProcess, net: NetSchema });
/** `net.accept`: an inbound connection accepted. */
export const NetAcceptSchema = z.strictObject({ kind: z.literal('net.accept'), ...withProcess, net: NetSchema });
/** `net.listen`: a socket put into listening state (TCP) or bound (UDP). */
export const NetListenSchema = z.strictObject({ kind: z.literal('net.listen'), ...withProcess, net: NetSchema });
/** `dns.query`: a DNS question sent. */
export const DnsQuerySchema = z.strictObject({
  kind: z.literal('dns.query'),
  ...withProcess,
  dns: z.strictObject({
    query: z.string(),
    /** Question type mnemonic (`A`, `AAAA`, …) or `TYPE<n>` when unknown. */
    type: z.string(),
    answers: z.array(z.string()).optional(),
  }),
});
/** `image.load`: a shared library / DLL / dylib mapped. */
export const ImageLoadSchema = z.strictObject({
  kind: z.literal('image.load'),
  ...withProcess,
  image: z.strictObject({ path: z.string(), hashes: FileRefSchema.shape.hashes }),
});
/** `kmod.load`: a kernel module, driver or kext loaded. */
export const KmodLoadSchema = z.strictObject({
  kind: z.literal('kmod.load'),
  ...withProcess,
  module: z.strictObject({ name: z.string(), path: z.string().optional() }),
});
/** `registry.set`: a registry value written (Windows). */
export const RegistrySetSchema = z.strictObject({ kind: z.literal('registry.set'), ...withProcess, registry: RegistrySchema });
/** `registry.create`: a registry key created (Windows). */
export const RegistryCreateSchema = z.strictObject({ kind: z.literal('registry.create'), ...withProcess, registry: RegistrySchema });
/** `registry.delete`: a registry key or value deleted (Windows). */
export const RegistryDeleteSchema = z.strictObject({ kind: z.literal('registry.delete'), ...withProcess, registry: RegistrySchema });
/** `registry.rename`: a registry key renamed (Windows); `target.key` is the new name. */
export const RegistryRenameSchema = z.strictObject({
  kind: z.literal('registry.rename'),
  ...withProcess,
  registry: RegistrySchema,
  target: z.strictObject({ key: z.string() }).optional(),
});
// ---- model v1.1 -------------------------------------------------------------------

const withAuth = { ...withProcess, auth: AuthSchema };
/** `auth.logon`: a user logged on. `process` is the process that did the logon (sshd, login, winlogon). */
export const AuthLogonSchema = z.strictObject({ kind: z.literal('auth.logon'), ...withAuth });
/** `auth.logoff`: a logon session ended. */
export const AuthLogoffSchema = z.strictObject({ kind: z.literal('auth.logoff'), ...withAuth });
/** `auth.failed`: a logon attempt was refused. */
export const AuthFailedSchema = z.strictObject({ kind: z.literal('auth.failed'), ...withAuth });
const withAccount = { ...withProcess, account: AccountSchema };
/** `account.create`: a local account was created. */
export const AccountCreateSchema = z.strictObject({ kind: z.literal('account.create'), ...withAccount });
/** `account.modify`: a local account was changed (password, groups, shell, enabled, …). */
export const AccountModifySchema = z.strictObject({ kind: z.literal('account.modify'), ...withAccount });
/** `account.delete`: a local account was deleted. */
export const AccountDeleteSchema = z.strictObject({ kind: z.literal('account.delete'), ...withAccount });
const withService = { ...withProcess, service: ServiceSchema };
/** `service.create`: a service (systemd unit, Windows service, launchd daemon) was installed. */
export const ServiceCreateSchema = z.strictObject({ kind: z.literal('service.create'), ...withService });
/** `service.modify`: a service definition changed. */
export const ServiceModifySchema = z.strictObject({ kind: z.literal('service.modify'), ...withService });
/** `service.delete`: a service was removed. */
export const ServiceDeleteSchema = z.strictObject({ kind: z.literal('service.delete'), ...withService });
const withTask = { ...withProcess, task: TaskSchema };
/** `task.create`: a scheduled task (cron, timer, at, Task Scheduler, launchd agent) was created. */
export const TaskCreateSchema = z.strictObject({ kind: z.literal('task.create'), ...withTask });
/** `task.modify`: a scheduled task changed. */
export const TaskModifySchema = z.strictObject({ kind: z.literal('task.modify'), ...withTask });
/** `task.delete`: a scheduled task was removed. */
export const TaskDeleteSchema = z.strictObject({ kind: z.literal('task.delete'), ...withTask });
/** `process.access`: `process` asked for access to `target` (ptrace, a handle, a task port). */
export const ProcessAccessSchema = z.strictObject({
  kind: z.literal('process.access'),
  ...withProcess,
  target: TargetProcessSchema,
  access: AccessSchema,
});
/** `process.tamper`: `process` changed `target`'s memory, registers, threads or image. */
export const ProcessTamperSchema = z.strictObject({
  kind: z.literal('process.tamper'),
  ...withProcess,
  target: TargetProcessSchema,
  technique: TamperTechniqueSchema,
  /** `remote-thread`: start address (hex) and the module it lies in. */
  startAddress: z.string().optional(),
  startModule: z.string().optional(),
});
/** `script.content`: code handed to an interpreter (PowerShell script block, `sh -c`, `python -c`). */
export const ScriptContentSchema = z.strictObject({ kind: z.literal('script.content'), ...withProcess, script: ScriptSchema });
/** `bpf.load`: an eBPF program was loaded (Linux). */
export const BpfLoadSchema = z.strictObject({ kind: z.literal('bpf.load'), ...withProcess, bpf: BpfSchema });
/** `volume.mount`: a file system was mounted (USB stick, disk image, network share). */
export const VolumeMountSchema = z.strictObject({ kind: z.literal('volume.mount'), ...withProcess, volume: VolumeSchema });
/** `volume.unmount`: a file system was unmounted. */
export const VolumeUnmountSchema = z.strictObject({ kind: z.literal('volume.unmount'), ...withProcess, volume: VolumeSchema });
/** `pipe.create`: a named pipe was created (Sysmon 17). */
export const PipeCreateSchema = z.strictObject({ kind: z.literal('pipe.create'), ...withProcess, pipe: PipeSchema });
/** `pipe.connect`: a named pipe was connected to (Sysmon 18). */
export const PipeConnectSchema = z.strictObject({ kind: z.literal('pipe.connect'), ...withProcess, pipe: PipeSchema });
/** `wmi.filter`: a WMI event filter was registered (Sysmon 19). */
export const WmiFilterSchema = z.strictObject({ kind: z.literal('wmi.filter'), ...withProcess, wmi: WmiSchema });
/** `wmi.consumer`: a WMI event consumer was registered (Sysmon 20). */
export const WmiConsumerSchema = z.strictObject({ kind: z.literal('wmi.consumer'), ...withProcess, wmi: WmiSchema });
/** `wmi.binding`: a consumer was bound to a filter (Sysmon 21). */
export const WmiBindingSchema = z.strictObject({ kind: z.literal('wmi.binding'), ...withProcess, wmi: WmiSchema });
/** `sensor.start`: the sensor started. Emitted by the sensor itself; `process` is the process embedding it. */
export const SensorStartSchema = z.strictObject({ kind: z.literal('sensor.start'), ...withProcess, sensor: SensorInfoSchema });
/** `sensor.stop`: the sensor stopped; the last event of a stream. */
export const SensorStopSchema = z.strictObject({ kind: z.literal('sensor.stop'), ...withProcess, sensor: SensorInfoSchema });

// ---- model v1.2 -------------------------------------------------------------------

/**
 * `process.credentials`: `process` changed its own credentials (set*id, setgroups, capset).
 * `process` shows the ids after the change; `credentials.before` / `after` the whole sets.
 */
export const ProcessCredentialsSchema = z.strictObject({ kind: z.literal('process.credentials'), ...withProcess, credentials: CredentialsSchema });

/** Where events were dropped. */
export const LossStageSchema = z.enum(['kernel', 'backend', 'queue', 'consumer']);
/** `sensor.lost`: events the sensor had to drop. The only kind without `process`. */
export const SensorLostSchema = z.strictObject({
  kind: z.literal('sensor.lost'),
  ...envelope,
  lost: z.strictObject({
    count: z.number().int().positive(),
    reason: z.string(),
    stage: LossStageSchema.optional(),
  }),
});

/** Every event: a discriminated union on `kind`. */
export const EventSchema = z.discriminatedUnion('kind', [
  ProcessExecSchema,
  ProcessForkSchema,
  ProcessExitSchema,
  FileCreateSchema,
  FileOpenSchema,
  FileModifySchema,
  FileDeleteSchema,
  FileRenameSchema,
  FileAttrSchema,
  NetConnectSchema,
  NetAcceptSchema,
  NetListenSchema,
  DnsQuerySchema,
  ImageLoadSchema,
  KmodLoadSchema,
  RegistrySetSchema,
  RegistryCreateSchema,
  RegistryDeleteSchema,
  RegistryRenameSchema,
  SensorLostSchema,
  AuthLogonSchema,
  AuthLogoffSchema,
  AuthFailedSchema,
  AccountCreateSchema,
  AccountModifySchema,
  AccountDeleteSchema,
  ServiceCreateSchema,
  ServiceModifySchema,
  ServiceDeleteSchema,
  TaskCreateSchema,
  TaskModifySchema,
  TaskDeleteSchema,
  ProcessAccessSchema,
  ProcessTamperSchema,
  ScriptContentSchema,
  BpfLoadSchema,
  VolumeMountSchema,
  VolumeUnmountSchema,
  PipeCreateSchema,
  PipeConnectSchema,
  WmiFilterSchema,
  WmiConsumerSchema,
  WmiBindingSchema,
  SensorStartSchema,
  SensorStopSchema,
  ProcessCredentialsSchema,
]);

/** Any edrkit event. Narrow it with `event.kind`. */
export type EdrEvent = z.infer<typeof EventSchema>;
/** The kind of an event: `process.exec`, `file.create`, … */
export type EventKind = EdrEvent['kind'];
/** The event type of one kind: `EventOfKind<'process.exec'>`. */
export type EventOfKind<K extends EventKind> = Extract<EdrEvent, { kind: K }>;

/** Every event kind of the model: v1.0 kinds first, then v1.1, then v1.2, in documentation order. */
export const EVENT_KINDS = [
  'process.exec',
  'process.fork',
  'process.exit',
  'file.create',
  'file.open',
  'file.modify',
  'file.delete',
  'file.rename',
  'file.attr',
  'net.connect',
  'net.accept',
  'net.listen',
  'dns.query',
  'image.load',
  'kmod.load',
  'registry.set',
  'registry.create',
  'registry.delete',
  'registry.rename',
  'sensor.lost',
  'auth.logon',
  'auth.logoff',
  'auth.failed',
  'account.create',
  'account.modify',
  'account.delete',
  'service.create',
  'service.modify',
  'service.delete',
  'task.create',
  'task.modify',
  'task.delete',
  'process.access',
  'process.tamper',
  'script.content',
  'bpf.load',
  'volume.mount',
  'volume.unmount',
  'pipe.create',
  'pipe.connect',
  'wmi.filter',
  'wmi.consumer',
  'wmi.binding',
  'sensor.start',
  'sensor.stop',
  'process.credentials',
] as const satisfies readonly EventKind[];

/** The kinds of model v1 (1.0); every other kind was added in a later minor version. */
export const V1_0_KINDS: readonly EventKind[] = EVENT_KINDS.slice(0, EVENT_KINDS.indexOf('sensor.lost') + 1);
/** The kinds of model v1.1 (the v1.0 kinds and those v1.1 added); v1.2 added `process.credentials`. */
export const V1_1_KINDS: readonly EventKind[] = EVENT_KINDS.slice(0, EVENT_KINDS.indexOf('sensor.stop') + 1);

// Compile-time proof that EVENT_KINDS lists every kind of the union.
type MissingKinds = Exclude<EventKind, (typeof EVENT_KINDS)[number]>;
const everyKindListed: MissingKinds extends never ? true : MissingKinds = true;
void everyKindListed;

/** Kinds the sensor itself emits: loss and its own lifecycle. */
export type SensorKind = 'sensor.lost' | 'sensor.start' | 'sensor.stop';
/** The kinds the sensor itself emits (never a backend). */
export const SENSOR_KINDS: readonly SensorKind[] = ['sensor.lost', 'sensor.start', 'sensor.stop'];
/** True for the kinds only the sensor emits (`sensor.lost`, `sensor.start`, `sensor.stop`). */
export function isSensorKind(kind: EventKind): kind is SensorKind {
  return (SENSOR_KINDS as readonly string[]).includes(kind);
}
/** Kinds a backend may be asked to produce (everything but the sensor's own kinds). */
export type ObservableKind = Exclude<EventKind, SensorKind>;
/** Every kind a backend may be asked to produce. */
export const OBSERVABLE_KINDS = EVENT_KINDS.filter((k): k is ObservableKind => !(SENSOR_KINDS as readonly string[]).includes(k));

/**
 * Kinds that are off unless asked for by name, because of their volume. Left to the default,
 * `file.open` still delivers its high-signal part: opens of block devices (`file.type:
 * 'block'`, raw access reads; `BackendStartOptions.fileOpen`).
 */
export const HIGH_VOLUME_KINDS: readonly ObservableKind[] = ['file.open'];

/** True when `value` names an event kind of this model version. */
export function isEventKind(value: unknown): value is EventKind {
  return typeof value === 'string' && (EVENT_KINDS as readonly string[]).includes(value);
}

/** Distributive `Omit`, so omitting from a union keeps it a discriminated union. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * An event as a backend produces it: everything but `seq`, which the sensor assigns.
 */
export type EventDraft = DistributiveOmit<EdrEvent, 'seq'>;
/** A draft of one kind. */
export type EventDraftOfKind<K extends EventKind> = DistributiveOmit<EventOfKind<K>, 'seq'>;
