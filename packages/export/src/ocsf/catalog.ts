/**
 * The OCSF classes, activities and enum captions edrkit uses, written out as constants
 * (captions are OCSF's, so `activity_name`/`type_name` match the schema exactly).
 *
 * @module
 */

/** An OCSF event class used by the mapping. */
export interface OcsfClassInfo {
  uid: number;
  caption: string;
  categoryUid: number;
  categoryCaption: string;
  /** activity_id -> caption (0 Unknown and 99 Other come from the base event). */
  activities: Readonly<Record<number, string>>;
}

const SYSTEM = { categoryUid: 1, categoryCaption: 'System Activity' } as const;
const NETWORK = { categoryUid: 4, categoryCaption: 'Network Activity' } as const;
const IAM = { categoryUid: 3, categoryCaption: 'Identity & Access Management' } as const;
const APPLICATION = { categoryUid: 6, categoryCaption: 'Application Activity' } as const;

/** The classes edrkit writes, by name. */
export const OCSF_CLASSES = {
  fileActivity: {
    uid: 1001,
    caption: 'File System Activity',
    ...SYSTEM,
    activities: { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 5: 'Rename', 6: 'Set Attributes', 12: 'Mount', 13: 'Unmount', 14: 'Open' },
  },
  kernelExtensionActivity: { uid: 1002, caption: 'Kernel Extension Activity', ...SYSTEM, activities: { 1: 'Load', 2: 'Unload' } },
  moduleActivity: { uid: 1005, caption: 'Module Activity', ...SYSTEM, activities: { 1: 'Load', 2: 'Unload' } },
  processActivity: { uid: 1007, caption: 'Process Activity', ...SYSTEM, activities: { 1: 'Launch', 2: 'Terminate', 3: 'Open', 4: 'Inject', 5: 'Set User ID' } },
  scheduledJobActivity: { uid: 1006, caption: 'Scheduled Job Activity', ...SYSTEM, activities: { 1: 'Create', 2: 'Update', 3: 'Delete' } },
  scriptActivity: { uid: 1009, caption: 'Script Activity', ...SYSTEM, activities: { 1: 'Execute' } },
  accountChange: {
    uid: 3001,
    caption: 'Account Change',
    ...IAM,
    activities: { 1: 'Create', 2: 'Enable', 3: 'Password Change', 5: 'Disable', 6: 'Delete', 99: 'Other' },
  },
  authentication: { uid: 3002, caption: 'Authentication', ...IAM, activities: { 1: 'Logon', 2: 'Logoff' } },
  applicationLifecycle: { uid: 6002, caption: 'Application Lifecycle', ...APPLICATION, activities: { 3: 'Start', 4: 'Stop' } },
  eventLogActivity: { uid: 1008, caption: 'Event Log Activity', ...SYSTEM, activities: { 99: 'Other' } },
  networkActivity: { uid: 4001, caption: 'Network Activity', ...NETWORK, activities: { 1: 'Open', 7: 'Listen' } },
  dnsActivity: { uid: 4003, caption: 'DNS Activity', ...NETWORK, activities: { 1: 'Query' } },
  // Windows extension (uid 2): class_uid = 2 * 100000 + category 1 * 1000 + class uid.
  registryKeyActivity: {
    uid: 201001,
    caption: 'Registry Key Activity',
    ...SYSTEM,
    activities: { 1: 'Create', 4: 'Delete', 5: 'Rename' },
  },
  registryValueActivity: { uid: 201002, caption: 'Registry Value Activity', ...SYSTEM, activities: { 2: 'Set', 4: 'Delete' } },
  windowsServiceActivity: { uid: 201004, caption: 'Windows Service Activity', ...SYSTEM, activities: { 1: 'Create', 2: 'Reconfigure', 7: 'Delete' } },
} as const satisfies Record<string, OcsfClassInfo>;

/** The Windows extension as OCSF `metadata.extensions` names it. */
export const WINDOWS_EXTENSION = { name: 'win', uid: '2', version: '1.9.0-dev' } as const;

/** severity_id captions used by the mapping. */
export const SEVERITY = { informational: [1, 'Informational'], medium: [3, 'Medium'] } as const;

/** OCSF `os.type_id` per edrkit platform. */
export const OS_TYPE = {
  linux: [200, 'Linux'],
  windows: [100, 'Windows'],
  macos: [300, 'macOS'],
} as const;

/** OCSF `launch_type_id` values. */
export const LAUNCH_TYPE = { spawn: [1, 'Spawn'], fork: [2, 'Fork'] } as const;

/** OCSF `file.type_id` values. */
export const FILE_TYPE = {
  regular: [1, 'Regular File'],
  folder: [2, 'Folder'],
  character: [3, 'Character Device'],
  block: [4, 'Block Device'],
  socket: [5, 'Local Socket'],
  pipe: [6, 'Named Pipe'],
  symlink: [7, 'Symbolic Link'],
  executable: [8, 'Executable File'],
  other: [99, 'Other'],
} as const;

/** OCSF `fingerprint.algorithm_id` per edrkit hash name. */
export const HASH_ALGORITHM = { md5: [1, 'MD5'], sha1: [2, 'SHA-1'], sha256: [3, 'SHA-256'] } as const;

/** OCSF `logon_type_id` per Windows logon type name (as Windows and Sysmon spell them). */
export const LOGON_TYPE: Readonly<Record<string, readonly [number, string]>> = {
  system: [1, 'System'],
  interactive: [2, 'Interactive'],
  network: [3, 'Network'],
  batch: [4, 'Batch'],
  service: [5, 'OS Service'],
  unlock: [7, 'Unlock'],
  networkcleartext: [8, 'Network Cleartext'],
  newcredentials: [9, 'New Credentials'],
  remoteinteractive: [10, 'Remote Interactive'],
  cachedinteractive: [11, 'Cached Interactive'],
  cachedremoteinteractive: [12, 'Cached Remote Interactive'],
  cachedunlock: [13, 'Cached Unlock'],
};

/** The Windows extension's `service_start_type_id` per edrkit start type. */
export const SERVICE_START_TYPE = {
  boot: [1, 'Boot'],
  system: [2, 'System'],
  auto: [3, 'Auto'],
  manual: [4, 'Demand'],
  disabled: [5, 'Disabled'],
} as const;

/** OCSF `job.type_id` per edrkit scheduler. */
export const JOB_TYPE: Readonly<Record<string, readonly [number, string]>> = {
  'task-scheduler': [1, 'Task Scheduler'],
  cron: [2, 'Cron'],
  'systemd-timer': [3, 'Systemd'],
  launchd: [4, 'Launchd'],
};

/** OCSF `injection_type_id` per tamper technique that has one. */
export const INJECTION_TYPE: Readonly<Record<string, readonly [number, string]>> = {
  'remote-thread': [1, 'Remote Thread'],
  'library-inject': [2, 'Load Library'],
  'apc-queue': [3, 'Queue APC'],
};

/** OCSF `script.type_id` per interpreter name. */
export const SCRIPT_TYPE: Readonly<Record<string, readonly [number, string]>> = {
  cmd: [1, 'Windows Command Prompt'],
  powershell: [2, 'PowerShell'],
  pwsh: [2, 'PowerShell'],
  python: [3, 'Python'],
  python3: [3, 'Python'],
  node: [4, 'JavaScript'],
  javascript: [4, 'JavaScript'],
  jscript: [4, 'JavaScript'],
  vbscript: [5, 'VBScript'],
  sh: [6, 'Unix Shell'],
  bash: [6, 'Unix Shell'],
  dash: [6, 'Unix Shell'],
  zsh: [6, 'Unix Shell'],
  ksh: [6, 'Unix Shell'],
  vba: [7, 'VBA'],
};

/** OCSF `connection_info.direction_id` values. */
export const DIRECTION = { unknown: [0, 'Unknown'], inbound: [1, 'Inbound'], outbound: [2, 'Outbound'] } as const;

/** OCSF `reg_value.type_id` per Windows value type name. */
export const REG_VALUE_TYPE: Readonly<Record<string, number>> = {
  REG_BINARY: 1,
  REG_DWORD: 2,
  REG_DWORD_BIG_ENDIAN: 3,
  REG_EXPAND_SZ: 4,
  REG_LINK: 5,
  REG_MULTI_SZ: 6,
  REG_NONE: 7,
  REG_QWORD: 8,
  REG_SZ: 10,
};
