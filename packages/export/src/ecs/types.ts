/**
 * TypeScript types of the Elastic Common Schema documents edrkit writes (nested form, ECS
 * field names). Only the fields the mapping fills are listed; values use ECS types
 * (keyword = string, long = integer number, date = RFC 3339 string, ip = IP string).
 *
 * @module
 */

/** ECS `process.parent` (and the process reused under `process`). */
export interface EcsProcessRef {
  pid?: number;
  name?: string;
  executable?: string;
  command_line?: string;
  /** RFC 3339. */
  start?: string;
}

/** ECS `user` / `process.user`. */
export interface EcsUser {
  id?: string;
  name?: string;
  /** The account acted on (account changes). */
  target?: { id?: string; name?: string };
  /** The account's new values (account changes). */
  changes?: { name?: string };
}

/** ECS `hash`. */
export interface EcsHash {
  md5?: string;
  sha1?: string;
  sha256?: string;
}

/** ECS `process`. */
export interface EcsProcess extends EcsProcessRef {
  args?: string[];
  args_count?: number;
  working_directory?: string;
  /** RFC 3339. */
  end?: string;
  exit_code?: number;
  thread?: { id: number };
  user?: EcsUser;
  group?: { id: string };
  /** Linux ids after a credential change (`process.credentials`). */
  real_user?: { id: string };
  saved_user?: { id: string };
  real_group?: { id: string };
  saved_group?: { id: string };
  supplemental_groups?: { id: string }[];
  code_signature?: { exists: boolean; signing_id?: string; subject_name?: string; team_id?: string };
  hash?: EcsHash;
  parent?: EcsProcessRef;
}

/** ECS `file`. */
export interface EcsFile {
  path: string;
  name: string;
  directory?: string;
  extension?: string;
  type?: 'file' | 'dir' | 'symlink';
  /** Octal string, e.g. `0644`. */
  mode?: string;
  uid?: string;
  gid?: string;
  size?: number;
  hash?: EcsHash;
}

/** ECS `source` / `destination`. */
export interface EcsEndpoint {
  address: string;
  ip?: string;
  port?: number;
}

/** An ECS document as {@link toECS} returns it. */
export interface EcsDocument {
  '@timestamp': string;
  ecs: { version: string };
  agent: { type: 'edrkit'; name: 'edrkit'; version: string };
  event: {
    kind: 'event' | 'pipeline_error';
    category: string[];
    type: string[];
    action: string;
    module: 'edrkit';
    dataset: string;
    provider: string;
    sequence: number;
    outcome?: 'success' | 'failure' | 'unknown';
    reason?: string;
  };
  host: {
    hostname?: string;
    name?: string;
    os: { type: 'linux' | 'windows' | 'macos'; platform: string; family?: string; name: string; version?: string; kernel?: string };
  };
  process?: EcsProcess;
  user?: EcsUser;
  group?: { id: string };
  container?: { id: string };
  file?: EcsFile;
  dll?: { path: string; name: string; hash?: EcsHash };
  service?: { name: string };
  source?: EcsEndpoint;
  destination?: EcsEndpoint;
  network?: { transport?: 'tcp' | 'udp'; type?: 'ipv4' | 'ipv6'; iana_number?: string; direction?: string; protocol?: string };
  dns?: { type: 'question'; question: { name: string; type: string }; answers?: Array<{ data: string }>; resolved_ip?: string[] };
  registry?: { hive?: string; key: string; path: string; value?: string; data?: { strings?: string[]; type?: string } };
  error?: { message: string; type?: string };
  message?: string;
  /** edrkit fields with no ECS field (custom fields live under the product's own name, as ECS asks). */
  edrkit?: Record<string, unknown>;
}
