/**
 * TypeScript types of the OCSF records edrkit writes: the subset of OCSF 1.x objects and
 * classes that the mapping fills. Field names are OCSF's (snake_case).
 *
 * @module
 */

/** OCSF `user`. */
export interface OcsfUser {
  uid?: string;
  name?: string;
}

/** OCSF `file` (name and type_id are required by OCSF). */
export interface OcsfFile {
  name: string;
  type_id: number;
  type?: string;
  path?: string;
  parent_folder?: string;
  ext?: string;
  owner?: OcsfUser;
  size?: number;
  hashes?: OcsfFingerprint[];
}

/** OCSF `fingerprint` (a file hash). */
export interface OcsfFingerprint {
  algorithm_id: number;
  algorithm: string;
  value: string;
}

/** OCSF `process` (and the `process_entity` fields used for `parent_process`). */
export interface OcsfProcess {
  pid?: number;
  uid?: string;
  name?: string;
  path?: string;
  cmd_line?: string;
  created_time?: number;
  terminated_time?: number;
  ptid?: number;
  working_directory?: string;
  file?: OcsfFile;
  user?: OcsfUser;
  container?: { uid: string };
  parent_process?: OcsfProcess;
}

/** OCSF `actor`. */
export interface OcsfActor {
  process?: OcsfProcess;
  user?: OcsfUser;
}

/** OCSF `os`. */
export interface OcsfOs {
  name: string;
  type_id: number;
  type?: string;
  version?: string;
  kernel_release?: string;
}

/** OCSF `device`. */
export interface OcsfDevice {
  type_id: number;
  type?: string;
  hostname?: string;
  name?: string;
  os?: OcsfOs;
}

/** OCSF `network_endpoint`. */
export interface OcsfNetworkEndpoint {
  ip?: string;
  port?: number;
  name?: string;
  hostname?: string;
}

/** OCSF `network_connection_info`. */
export interface OcsfConnectionInfo {
  direction_id: number;
  direction?: string;
  protocol_name?: string;
  protocol_num?: number;
  protocol_ver_id?: number;
  protocol_ver?: string;
}

/** OCSF `metadata`. */
export interface OcsfMetadata {
  version: string;
  product: { name: string; vendor_name: string; version: string; feature?: { name: string } };
  log_provider?: string;
  sequence?: number;
  extensions?: Array<{ name: string; uid: string; version: string }>;
}

/** OCSF `reg_key` (Windows extension). */
export interface OcsfRegKey {
  path: string;
}

/** OCSF `reg_value` (Windows extension). */
export interface OcsfRegValue {
  path: string;
  name: string;
  is_default?: boolean;
  type?: string;
  type_id?: number;
  data?: string;
  reg_string_data?: string;
  reg_integer_data?: number;
}

/** Attributes every OCSF record written by edrkit carries. */
export interface OcsfBase {
  category_uid: number;
  category_name: string;
  class_uid: number;
  class_name: string;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  /** Event time, integer milliseconds since the epoch. */
  time: number;
  metadata: OcsfMetadata;
  device: OcsfDevice;
  actor?: OcsfActor;
  message?: string;
  status_id?: number;
  status?: string;
  status_detail?: string;
  /** edrkit fields with no OCSF attribute, keyed by their edrkit field path (e.g. `process.signer`). */
  unmapped?: Record<string, unknown>;
}

/** Process Activity (1007): `process.exec`, `process.fork`, `process.exit`, `process.access` (Open), `process.tamper` (Inject). */
export interface OcsfProcessActivity extends OcsfBase {
  class_uid: 1007;
  actor: OcsfActor;
  process: OcsfProcess;
  launch_type_id?: number;
  launch_type?: string;
  exit_code?: number;
  /** `process.access`: the Windows access mask asked for. */
  requested_permissions?: number;
  /** `process.tamper`. */
  injection_type_id?: number;
  injection_type?: string;
}

/** File System Activity (1001): `file.*`. */
export interface OcsfFileActivity extends OcsfBase {
  class_uid: 1001;
  actor: OcsfActor;
  file: OcsfFile;
  file_result?: OcsfFile;
}

/** Network Activity (4001): `net.connect`, `net.accept`, `net.listen`. */
export interface OcsfNetworkActivity extends OcsfBase {
  class_uid: 4001;
  src_endpoint?: OcsfNetworkEndpoint;
  dst_endpoint?: OcsfNetworkEndpoint;
  connection_info: OcsfConnectionInfo;
}

/** DNS Activity (4003): `dns.query`. */
export interface OcsfDnsActivity extends OcsfBase {
  class_uid: 4003;
  src_endpoint: OcsfNetworkEndpoint;
  query: { hostname: string; type?: string };
  answers?: Array<{ rdata: string }>;
}

/** Module Activity (1005): `image.load`. */
export interface OcsfModuleActivity extends OcsfBase {
  class_uid: 1005;
  actor: OcsfActor;
  module: { file: OcsfFile; load_type_id: number; load_type?: string };
}

/** Kernel Extension Activity (1002): `kmod.load`. */
export interface OcsfKernelExtensionActivity extends OcsfBase {
  class_uid: 1002;
  actor: OcsfActor;
  driver: { file: OcsfFile };
}

/** Registry Key Activity (201001, Windows extension): `registry.create`, key `registry.delete`, `registry.rename`. */
export interface OcsfRegistryKeyActivity extends OcsfBase {
  class_uid: 201001;
  actor: OcsfActor;
  reg_key: OcsfRegKey;
  prev_reg_key?: OcsfRegKey;
}

/** Registry Value Activity (201002, Windows extension): `registry.set`, value `registry.delete`. */
export interface OcsfRegistryValueActivity extends OcsfBase {
  class_uid: 201002;
  actor: OcsfActor;
  reg_value: OcsfRegValue;
}

/** Event Log Activity (1008): `sensor.lost`, the sensor's own event log dropping records. */
export interface OcsfEventLogActivity extends OcsfBase {
  class_uid: 1008;
  log_provider: string;
  log_name: string;
}

/** Authentication (3002): `auth.logon`, `auth.logoff`, `auth.failed`. */
export interface OcsfAuthentication extends OcsfBase {
  class_uid: 3002;
  actor: OcsfActor;
  user: OcsfUser;
  service: { name: string };
  src_endpoint?: OcsfNetworkEndpoint;
  is_remote?: boolean;
  logon_type_id?: number;
  logon_type?: string;
  session?: { uid?: string; terminal?: string };
}

/** Account Change (3001): `account.*`. */
export interface OcsfAccountChange extends OcsfBase {
  class_uid: 3001;
  actor: OcsfActor;
  user: OcsfUser;
}

/** The Windows extension's `win_service`. */
export interface OcsfWinService {
  name: string;
  cmd_line?: string;
  service_file?: OcsfFile;
  service_start_type_id: number;
  service_start_type?: string;
  service_start_name?: string;
}

/** Windows Service Activity (201004, Windows extension): `service.*` on every OS. */
export interface OcsfWindowsServiceActivity extends OcsfBase {
  class_uid: 201004;
  actor: OcsfActor;
  win_service: OcsfWinService;
}

/** OCSF `job`. */
export interface OcsfJob {
  name: string;
  job_actions?: Array<{ type_id: number; type: string; cmd_line: string }>;
  file?: OcsfFile;
  desc?: string;
  type_id?: number;
  type?: string;
  user?: OcsfUser;
}

/** Scheduled Job Activity (1006): `task.*` and `wmi.*`. */
export interface OcsfScheduledJobActivity extends OcsfBase {
  class_uid: 1006;
  actor: OcsfActor;
  job: OcsfJob;
}

/** Script Activity (1009): `script.content`. */
export interface OcsfScriptActivity extends OcsfBase {
  class_uid: 1009;
  actor: OcsfActor;
  script: { script_content: { value: string; is_truncated?: boolean }; type_id: number; type?: string; file?: OcsfFile };
}

/** Application Lifecycle (6002): `sensor.start`, `sensor.stop`. */
export interface OcsfApplicationLifecycle extends OcsfBase {
  class_uid: 6002;
  app: { name: string; vendor_name: string; version: string; feature?: { name: string } };
}

/** Any OCSF record {@link toOCSF} returns. Narrow it with `class_uid`. */
export type OcsfEvent =
  | OcsfAuthentication
  | OcsfAccountChange
  | OcsfWindowsServiceActivity
  | OcsfScheduledJobActivity
  | OcsfScriptActivity
  | OcsfApplicationLifecycle
  | OcsfProcessActivity
  | OcsfFileActivity
  | OcsfNetworkActivity
  | OcsfDnsActivity
  | OcsfModuleActivity
  | OcsfKernelExtensionActivity
  | OcsfRegistryKeyActivity
  | OcsfRegistryValueActivity
  | OcsfEventLogActivity;
