/**
 * Payloads of the kinds added in model v1.1: accounts, logons, persistence (services,
 * scheduled tasks, WMI), process access and tampering, script content, eBPF loads,
 * volumes, named pipes and the sensor's own lifecycle. Each one is the same on every OS;
 * the OS-specific words (PAM service, Windows logon type, launchd plist) go into the
 * portable fields named for them, extras into `raw.<platform>`.
 *
 * @module
 */
import { z } from 'zod';
import { PidSchema, PortSchema } from './base.js';

/** Longest `script.content` carried (characters); longer scripts are cut and marked `truncated`. */
export const MAX_SCRIPT_CONTENT = 64 * 1024;

/** The peer of a remote logon. */
export const RemoteEndpointSchema = z.strictObject({ ip: z.string(), port: PortSchema.optional() });
/** The peer of a remote logon. */
export type RemoteEndpoint = z.infer<typeof RemoteEndpointSchema>;

/** `auth.*` payload: who logged on (or tried), how, and from where. */
export const AuthSchema = z.strictObject({
  /** The account name the logon is for (as typed for a failed logon). */
  user: z.string(),
  uid: z.number().int().nonnegative().optional(),
  sid: z.string().optional(),
  /** How: the PAM service (`sshd`, `login`, `sudo`), Windows logon type (`Interactive`, `Network`, `RemoteInteractive`, …), macOS login kind (`loginwindow`, `ssh`, `screensharing`). */
  method: z.string(),
  /** Terminal or session name (`pts/3`, `tty1`, `console`). */
  terminal: z.string().optional(),
  /** The peer of a remote logon. */
  remote: RemoteEndpointSchema.optional(),
  /** Logon session id where the OS has one (Windows LogonId, Linux audit session). */
  session: z.string().optional(),
  /** `auth.failed`: why (bad password, unknown user, account locked, …). */
  reason: z.string().optional(),
});
/** `auth.*` payload. */
export type Auth = z.infer<typeof AuthSchema>;

/** `account.*` payload: the local account acted on and what changed. */
export const AccountSchema = z.strictObject({
  name: z.string(),
  uid: z.number().int().nonnegative().optional(),
  sid: z.string().optional(),
  /** `account.modify`: what changed. Fields not observed are absent. */
  changes: z
    .strictObject({
      password: z.boolean().optional(),
      /** The groups after the change. */
      groups: z.array(z.string()).optional(),
      shell: z.string().optional(),
      home: z.string().optional(),
      enabled: z.boolean().optional(),
      /** The new name of a renamed account. */
      name: z.string().optional(),
    })
    .optional(),
});
/** `account.*` payload. */
export type Account = z.infer<typeof AccountSchema>;

/** When a service starts, in portable words (systemd `WantedBy`, Windows start type, launchd `RunAtLoad`). */
export const StartTypeSchema = z.enum(['boot', 'system', 'auto', 'manual', 'disabled']);

/** `service.*` payload: systemd unit, Windows service, launchd daemon. */
export const ServiceSchema = z.strictObject({
  name: z.string(),
  /** Where it is defined: the unit file, the service's registry key, the plist. */
  path: z.string(),
  /** What it runs (`ExecStart`, `ImagePath`, `ProgramArguments` joined). */
  command: z.string().optional(),
  startType: StartTypeSchema.optional(),
  /** The account it runs as. */
  user: z.string().optional(),
});
/** `service.*` payload. */
export type Service = z.infer<typeof ServiceSchema>;

/** Which scheduler a task belongs to. */
export const SchedulerSchema = z.enum(['cron', 'systemd-timer', 'at', 'task-scheduler', 'launchd']);

/** `task.*` payload: cron entry, systemd timer, at job, Task Scheduler task, launchd agent. */
export const TaskSchema = z.strictObject({
  name: z.string(),
  /** Where it is defined: crontab, timer unit, task XML, plist. */
  path: z.string().optional(),
  command: z.string().optional(),
  /** The schedule as the scheduler writes it (`*\/5 * * * *`, `OnCalendar=daily`, a trigger). */
  schedule: z.string().optional(),
  scheduler: SchedulerSchema.optional(),
  user: z.string().optional(),
});
/** `task.*` payload. */
export type Task = z.infer<typeof TaskSchema>;

/** The process acted on by `process.access` and `process.tamper`. */
export const TargetProcessSchema = z.strictObject({
  pid: PidSchema,
  exe: z.string().optional(),
  startTime: z.number().optional(),
  /** The thread acted on (a remote thread's new tid, a register write's victim). */
  tid: PidSchema.optional(),
});
/** The process acted on. */
export type TargetProcess = z.infer<typeof TargetProcessSchema>;

/** What a process asked for on another, in portable words. */
export const AccessRightSchema = z.enum([
  'ptrace-attach',
  'ptrace-read',
  'memory-read',
  'memory-write',
  'task-port',
  'terminate',
  'query',
  'other',
]);
/** One right asked for by `process.access`. */
export type AccessRight = z.infer<typeof AccessRightSchema>;

/** `process.access` payload: what was asked. */
export const AccessSchema = z.strictObject({
  rights: z.array(AccessRightSchema),
  /** The Windows access mask asked for (Sysmon `GrantedAccess`). */
  mask: z.number().int().nonnegative().optional(),
});

/** How a process was tampered with. */
export const TamperTechniqueSchema = z.enum([
  'memory-write',
  'register-write',
  'remote-thread',
  'apc-queue',
  'image-tamper',
  'library-inject',
  'other',
]);
/** How a process was tampered with. */
export type TamperTechnique = z.infer<typeof TamperTechniqueSchema>;

/** `script.content` payload. */
export const ScriptSchema = z.strictObject({
  /** `powershell`, `bash`, `sh`, `python`, `osascript`, `node`, … */
  interpreter: z.string(),
  /** The code, at most {@link MAX_SCRIPT_CONTENT} characters. */
  content: z.string().max(MAX_SCRIPT_CONTENT),
  /** True when `content` was cut at the bound. */
  truncated: z.boolean(),
  /** The script file, when the code came from one. */
  path: z.string().optional(),
});
/** `script.content` payload. */
export type Script = z.infer<typeof ScriptSchema>;

/** `bpf.load` payload (Linux). */
export const BpfSchema = z.strictObject({
  /** Program type as the kernel names it, without `BPF_PROG_TYPE_` (`kprobe`, `tracepoint`, `xdp`, …). */
  progType: z.string(),
  name: z.string().optional(),
  attachType: z.string().optional(),
  /** Kernel program id. */
  id: z.number().int().nonnegative().optional(),
  /** Program tag (hex). */
  tag: z.string().optional(),
  /** `load` (the program entered the kernel) or `attach` (a loaded program was attached to a hook). */
  operation: z.enum(['load', 'attach']).optional(),
  /** Instructions of the program as loaded. */
  instructions: z.number().int().nonnegative().optional(),
  /** What an attach named, where the call names it by text (a raw tracepoint's name). */
  attachTarget: z.string().optional(),
});
/** `bpf.load` payload. */
export type Bpf = z.infer<typeof BpfSchema>;

/** `volume.*` payload. */
export const VolumeSchema = z.strictObject({
  device: z.string().optional(),
  mountPoint: z.string(),
  fsType: z.string().optional(),
  /** Removable or external media (USB, SD card, disk image). */
  removable: z.boolean().optional(),
  readOnly: z.boolean().optional(),
});
/** `volume.*` payload. */
export type Volume = z.infer<typeof VolumeSchema>;

/** `pipe.*` payload: a named pipe (`\\.\pipe\name` on Windows, a FIFO path elsewhere). */
export const PipeSchema = z.strictObject({ name: z.string() });
/** `pipe.*` payload. */
export type Pipe = z.infer<typeof PipeSchema>;

/** `wmi.*` payload (Windows): a permanent WMI event subscription part. */
export const WmiSchema = z.strictObject({
  name: z.string(),
  namespace: z.string().optional(),
  /** `wmi.filter`: the WQL query. */
  query: z.string().optional(),
  /** `wmi.consumer`: its type (`CommandLineEventConsumer`, …); `wmi.binding`: the consumer bound. */
  consumer: z.string().optional(),
  /** `wmi.consumer`: what it runs (command line or script). */
  destination: z.string().optional(),
  /** `wmi.binding`: the filter bound. */
  filter: z.string().optional(),
  /** `created` (default) or `deleted`. */
  operation: z.enum(['created', 'deleted']).optional(),
});
/** `wmi.*` payload. */
export type Wmi = z.infer<typeof WmiSchema>;

/** `sensor.start` / `sensor.stop` payload: the sensor describing itself. */
export const SensorInfoSchema = z.strictObject({
  /** edrkit version (of @edrkit/core). */
  version: z.string(),
  /** Backend id. */
  backend: z.string(),
  /** The kinds this sensor delivers. */
  kinds: z.array(z.string()),
  /** Event model version of the stream (`1.2`). */
  model: z.string(),
  /** `sensor.stop`: why (`closed`, `end of input`, `error: …`). */
  reason: z.string().optional(),
});
/** `sensor.start` / `sensor.stop` payload. */
export type SensorInfo = z.infer<typeof SensorInfoSchema>;
