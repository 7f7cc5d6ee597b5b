/**
 * The edrkit v1 event model as zod schemas. Every backend (Linux eBPF, Windows ETW,
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

/** Version of the event model described here. */
export const EVENT_MODEL_VERSION = 1 as const;

/** Operating systems edrkit runs on. */
export const PlatformSchema = z.enum(['linux', 'windows', 'macos']);
/** Operating system an event came from. */
export type Platform = z.infer<typeof PlatformSchema>;

/** Backend ids that may appear in an event's `source`. */
export const SourceSchema = z.enum([
  'linux-ebpf',
  'windows-etw',
  'windows-minifilter',
  'macos-es',
  'macos-eslogger',
  'replay',
]);
/** The backend that produced an event. */
export type Source = z.infer<typeof SourceSchema>;

const pid = z.number().int().nonnegative();
const port = z.number().int().min(0).max(65535);
const nonEmpty = z.string().min(1);

/** A process referenced by another (the parent in lineage). */
export const ProcessRefSchema = z.strictObject({
  pid,
  exe: z.string(),
  cmdline: z.string().optional(),
  startTime: z.number().optional(),
});
/** A process referenced by another (the parent in lineage). */
export type ProcessRef = z.infer<typeof ProcessRefSchema>;

/** Code-signing identity where the OS provides one (Authenticode, Apple code signing). */
export const SignerSchema = z.strictObject({
  /** Signing identifier (macOS signing id, Windows signer subject). */
  id: z.string(),
  /** Apple team id, where known. */
  teamId: z.string().optional(),
  /** Whether the OS considers this a platform (OS-vendor) binary. */
  platformBinary: z.boolean().optional(),
});
/** Code-signing identity of a process image. */
export type Signer = z.infer<typeof SignerSchema>;

/** The acting process of an event. */
export const ProcessSchema = z.strictObject({
  pid,
  ppid: pid,
  /** POSIX user id (Linux, macOS). Windows gives `sid` instead. */
  uid: z.number().int().nonnegative().optional(),
  gid: z.number().int().nonnegative().optional(),
  /** User name, where resolved. */
  user: z.string().optional(),
  /** Windows security identifier of the process token. */
  sid: z.string().optional(),
  /** Absolute path of the process image ('' only when the OS gives none). */
  exe: z.string(),
  /** Arguments, argv[0] included; split from the command line where the OS only gives a string. */
  args: z.array(z.string()),
  /** The command line as one string. */
  cmdline: z.string(),
  cwd: z.string().optional(),
  /** Process start time, milliseconds since the Unix epoch. */
  startTime: z.number().optional(),
  /** Thread id of the acting thread, where known. */
  tid: pid.optional(),
  container: z.strictObject({ id: nonEmpty }).optional(),
  signer: SignerSchema.optional(),
  /** The parent, resolved from the sensor's process table (lineage). */
  parent: ProcessRefSchema.optional(),
});
/** The acting process of an event. */
export type Process = z.infer<typeof ProcessSchema>;

/** Platform-specific extras, each under its platform's key. */
export const RawSchema = z.strictObject({
  linux: z.record(z.string(), z.unknown()).optional(),
  windows: z.record(z.string(), z.unknown()).optional(),
  macos: z.record(z.string(), z.unknown()).optional(),
});
/** Platform-specific extras, each under its platform's key. */
export type Raw = z.infer<typeof RawSchema>;

const envelope = {
  /** Milliseconds since the Unix epoch, fractional (microsecond resolution). */
  time: z.number().nonnegative(),
  /** Per-sensor monotonic sequence number. */
  seq: z.number().int().nonnegative(),
  platform: PlatformSchema,
  source: SourceSchema,
  raw: RawSchema.optional(),
};
const withProcess = { ...envelope, process: ProcessSchema };

/** A file system object named by its absolute path. */
export const FileRefSchema = z.strictObject({ path: z.string() });
/** A file system object named by its absolute path. */
export type FileRef = z.infer<typeof FileRefSchema>;

/** One side of a network flow. */
export const EndpointSchema = z.strictObject({ ip: z.string(), port });
/** One side of a network flow. */
export type Endpoint = z.infer<typeof EndpointSchema>;

/** A network flow. For `net.listen`, `remote` is the unspecified address and port 0. */
export const NetSchema = z.strictObject({
  protocol: z.enum(['tcp', 'udp']),
  family: z.enum(['ipv4', 'ipv6']),
  local: EndpointSchema,
  remote: EndpointSchema,
});
/** A network flow. */
export type Net = z.infer<typeof NetSchema>;

/** Access requested when a file is opened, in portable words. */
export const OpenFlagSchema = z.enum(['read', 'write', 'create', 'truncate', 'append', 'exclusive', 'directory']);
/** Access requested when a file is opened. */
export type OpenFlag = z.infer<typeof OpenFlagSchema>;

/** Windows registry payload. */
export const RegistrySchema = z.strictObject({
  key: z.string(),
  value: z.string().optional(),
  data: z.string().optional(),
  dataType: z.string().optional(),
});
/** Windows registry payload. */
export type Registry = z.infer<typeof RegistrySchema>;

/** `process.exec`: `process` is the new image. */
export const ProcessExecSchema = z.strictObject({ kind: z.literal('process.exec'), ...withProcess });
/** `process.fork`: `process` is the parent, `child` the new process. */
export const ProcessForkSchema = z.strictObject({
  kind: z.literal('process.fork'),
  ...withProcess,
  child: z.strictObject({ pid, startTime: z.number().optional() }),
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
  image: z.strictObject({ path: z.string() }),
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

/** Every v1 event: a discriminated union on `kind`. */
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
]);

/** Any edrkit event. Narrow it with `event.kind`. */
export type EdrEvent = z.infer<typeof EventSchema>;
/** The kind of an event: `process.exec`, `file.create`, … */
export type EventKind = EdrEvent['kind'];
/** The event type of one kind: `EventOfKind<'process.exec'>`. */
export type EventOfKind<K extends EventKind> = Extract<EdrEvent, { kind: K }>;

/** Every event kind of the v1 model, in documentation order. */
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
] as const satisfies readonly EventKind[];

// Compile-time proof that EVENT_KINDS lists every kind of the union.
type MissingKinds = Exclude<EventKind, (typeof EVENT_KINDS)[number]>;
const everyKindListed: MissingKinds extends never ? true : MissingKinds = true;
void everyKindListed;

/** Kinds a backend may be asked to produce (everything but the sensor's own `sensor.lost`). */
export type ObservableKind = Exclude<EventKind, 'sensor.lost'>;
/** Every kind a backend may be asked to produce. */
export const OBSERVABLE_KINDS = EVENT_KINDS.filter((k): k is ObservableKind => k !== 'sensor.lost');

/** Kinds that are off unless asked for by name, because of their volume. */
export const HIGH_VOLUME_KINDS: readonly ObservableKind[] = ['file.open'];

/** True when `value` names a v1 event kind. */
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
