/**
 * The building blocks of the event model: envelope, process, file, network and registry
 * objects shared by many kinds. The kinds themselves are in `schema.ts`.
 *
 * @module
 */
import { z } from 'zod';

/**
 * Version of the event model described here, `major.minor`. A minor version only adds
 * kinds and optional fields, so every v1.0 and v1.1 event is a valid v1.2 event. `sensor.start`
 * carries the version of the stream.
 */
export const EVENT_MODEL_VERSION = '1.2' as const;

/** Operating systems edrkit runs on. */
export const PlatformSchema = z.enum(['linux', 'windows', 'macos']);
/** Operating system an event came from. */
export type Platform = z.infer<typeof PlatformSchema>;

/**
 * The backend that produced an event: a backend id (lower-case words joined by `-`). Open on
 * purpose: core knows no backend, and a recording from a backend this install lacks still
 * parses. The backends a program knows are the ids of its `BackendTable` (the `edrkit` package
 * exports `sourceSchema()` for a check against it). Ids used by the backends edrkit ships or
 * plans: `linux-ebpf`, `windows-etw`, `windows-minifilter`, `macos-es`, `macos-eslogger`, `replay`.
 */
export const SourceSchema = z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a backend id: lower-case words joined by "-"');
/** The backend that produced an event. */
export type Source = string;

/** A process or thread id. */
export const PidSchema = z.number().int().nonnegative();
/** A TCP/UDP port. */
export const PortSchema = z.number().int().min(0).max(65535);
const nonEmpty = z.string().min(1);

/**
 * File hashes, as the hashing enrichment stage (`openSensor({ hashes })`) adds them: only the
 * algorithms the caller asked for. `pending` says the time bound passed before hashing was
 * done (the event went out without waiting); `error` says why the file could not be hashed.
 */
export const HashesSchema = z.strictObject({
  md5: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  sha1: z.string().regex(/^[0-9a-f]{40}$/).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** True when the event went out before hashing finished (see docs/events.md, hashes). */
  pending: z.literal(true).optional(),
  /** True when only the first `maxBytes` of the file were hashed. */
  partial: z.literal(true).optional(),
  /** Why no hash was computed: unreadable, rate limit, … */
  error: z.string().optional(),
});
/** File hashes added by the hashing enrichment stage. */
export type Hashes = z.infer<typeof HashesSchema>;

/** A process referenced by another (the parent in lineage). */
export const ProcessRefSchema = z.strictObject({
  pid: PidSchema,
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
  /** macOS code directory hash (CDHash) of the image: 20 bytes, lower-case hex. */
  cdhash: z.string().regex(/^[0-9a-f]{40}$/).optional(),
});
/** Code-signing identity of a process image. */
export type Signer = z.infer<typeof SignerSchema>;

/** The acting process of an event. */
export const ProcessSchema = z.strictObject({
  pid: PidSchema,
  ppid: PidSchema,
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
  tid: PidSchema.optional(),
  container: z.strictObject({ id: nonEmpty }).optional(),
  signer: SignerSchema.optional(),
  /** The parent, resolved from the sensor's process table (lineage). */
  parent: ProcessRefSchema.optional(),
  /** The image runs from memory (an exec of a memfd or a deleted file), not from a file on disk. */
  fileless: z.boolean().optional(),
  /** Hashes of the image file (`process.exec`, when the sensor was asked for hashes). */
  hashes: HashesSchema.optional(),
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

/** @internal The fields on every event. */
export const envelope = {
  /** Milliseconds since the Unix epoch, fractional (microsecond resolution). */
  time: z.number().nonnegative(),
  /** Per-sensor monotonic sequence number. */
  seq: z.number().int().nonnegative(),
  platform: PlatformSchema,
  source: SourceSchema,
  raw: RawSchema.optional(),
};
/** @internal The envelope plus the acting process. */
export const withProcess = { ...envelope, process: ProcessSchema };

/** What kind of file system object a path names, where the backend knows it. */
export const FileTypeSchema = z.enum(['file', 'directory', 'symlink', 'block', 'character', 'fifo', 'socket']);
/** What kind of file system object a path names. */
export type FileType = z.infer<typeof FileTypeSchema>;

/** A file system object named by its absolute path, with the facts enrichment adds. */
export const FileRefSchema = z.strictObject({
  path: z.string(),
  /**
   * The object's type, where the backend reports it. `block` on a `file.open` is a raw access
   * read of a disk (delivered by default even when `file.open` is not asked for).
   */
  type: FileTypeSchema.optional(),
  /** A memory-backed file (Linux memfd, …); `path` keeps its name (`/memfd:name`). */
  memfd: z.boolean().optional(),
  /** Size in bytes when the facts were read (file enrichment). */
  size: z.number().int().nonnegative().optional(),
  /** The first bytes of the file, hex (file enrichment, at most 64 bytes). */
  header: z.string().regex(/^([0-9a-f]{2}){0,64}$/).optional(),
  /** Shannon entropy of the bytes read, 0..8 bits per byte (file enrichment). */
  entropy: z.number().min(0).max(8).optional(),
  /** Hashes of the file's content (file enrichment). */
  hashes: HashesSchema.optional(),
});
/** A file system object named by its absolute path. */
export type FileRef = z.infer<typeof FileRefSchema>;

/** One side of a network flow. */
export const EndpointSchema = z.strictObject({ ip: z.string(), port: PortSchema });
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

