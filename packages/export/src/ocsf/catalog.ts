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

/** The classes edrkit writes, by name. */
export const OCSF_CLASSES = {
  fileActivity: {
    uid: 1001,
    caption: 'File System Activity',
    ...SYSTEM,
    activities: { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 5: 'Rename', 6: 'Set Attributes', 14: 'Open' },
  },
  kernelExtensionActivity: { uid: 1002, caption: 'Kernel Extension Activity', ...SYSTEM, activities: { 1: 'Load', 2: 'Unload' } },
  moduleActivity: { uid: 1005, caption: 'Module Activity', ...SYSTEM, activities: { 1: 'Load', 2: 'Unload' } },
  processActivity: { uid: 1007, caption: 'Process Activity', ...SYSTEM, activities: { 1: 'Launch', 2: 'Terminate' } },
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
export const FILE_TYPE = { regular: [1, 'Regular File'], folder: [2, 'Folder'], executable: [8, 'Executable File'] } as const;

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
