/**
 * Builders of the OCSF objects shared by several classes: process, user, file, device,
 * metadata. Each takes the leftover bag so fields without an OCSF attribute are kept.
 *
 * @module
 */
import type { EdrEvent, FileRef, Hashes, Platform, Process, ProcessRef } from '@edrkit/core';
import { PLATFORM_OS_NAME, resolveHostname, type ExportOptions } from '../options.js';
import { userIdOf } from '../identity.js';
import { baseName, dirName, extensionOf } from '@edrkit/core';
import { toIntegerMs } from '../time.js';
import type { Leftovers } from '../unmapped.js';
import { EDRKIT_VERSION, OCSF_SCHEMA_VERSION } from '../version.js';
import { FILE_TYPE, HASH_ALGORITHM, OS_TYPE } from './catalog.js';
import type { OcsfDevice, OcsfFile, OcsfFingerprint, OcsfMetadata, OcsfProcess, OcsfUser } from './types.js';

/**
 * OCSF `hashes` (fingerprints) from edrkit hashes; `pending`, `partial` and `error` have no
 * OCSF attribute and go to `left` under `at`.
 */
export function ocsfHashes(hashes: Hashes | undefined, left: Leftovers, at: string): OcsfFingerprint[] | undefined {
  if (!hashes) return undefined;
  const out: OcsfFingerprint[] = [];
  for (const name of ['md5', 'sha1', 'sha256'] as const) {
    const value = hashes[name];
    if (value === undefined) continue;
    const [algorithmId, algorithm] = HASH_ALGORITHM[name];
    out.push({ algorithm_id: algorithmId, algorithm, value });
  }
  left.add(`${at}.pending`, hashes.pending);
  left.add(`${at}.partial`, hashes.partial);
  left.add(`${at}.error`, hashes.error);
  return out.length ? out : undefined;
}

/** OCSF file type per edrkit `file.type`. */
const FILE_TYPE_OF: Record<NonNullable<FileRef['type']>, keyof typeof FILE_TYPE> = {
  file: 'regular',
  directory: 'folder',
  symlink: 'symlink',
  block: 'block',
  character: 'character',
  fifo: 'pipe',
  socket: 'socket',
};

/** An OCSF `file` for an edrkit file reference, with the enrichment facts (size, hashes; the rest in `left`). */
export function ocsfFileRef(file: FileRef, platform: Platform, left: Leftovers, at = 'file', kind: keyof typeof FILE_TYPE = 'regular'): OcsfFile {
  left.add(`${at}.memfd`, file.memfd);
  left.add(`${at}.header`, file.header);
  left.add(`${at}.entropy`, file.entropy);
  // The type the backend reported, when the caller did not pick one.
  if (kind === 'regular' && file.type !== undefined) kind = FILE_TYPE_OF[file.type];
  return { ...ocsfFile(file.path, platform, kind), size: file.size, hashes: ocsfHashes(file.hashes, left, `${at}.hashes`) };
}

/** An OCSF `file` for `path`. `kind` picks type_id: OCSF asks for Regular File when the exact type is unknown. */
export function ocsfFile(path: string, platform: Platform, kind: keyof typeof FILE_TYPE = 'regular'): OcsfFile {
  const [typeId, type] = FILE_TYPE[kind];
  return {
    name: baseName(path, platform),
    type_id: typeId,
    type,
    path,
    parent_folder: dirName(path, platform),
    ext: extensionOf(path, platform),
  };
}

/** The OCSF `user` of a process: POSIX uid or Windows SID as `uid`, plus the name. */
export function ocsfUser(process: Process): OcsfUser | undefined {
  const uid = userIdOf(process);
  if (uid === undefined && process.user === undefined) return undefined;
  return { uid, name: process.user };
}

/** An OCSF `process` for a lineage reference (the parent). */
export function ocsfProcessRef(ref: ProcessRef, platform: Platform): OcsfProcess {
  return {
    pid: ref.pid,
    name: ref.exe ? baseName(ref.exe, platform) : undefined,
    path: ref.exe || undefined,
    cmd_line: ref.cmdline,
    created_time: ref.startTime !== undefined ? toIntegerMs(ref.startTime) : undefined,
  };
}

/**
 * The OCSF `process` for an edrkit process. `at` prefixes leftover keys (`process`,
 * `process.parent`); fields without an OCSF attribute go to `left`.
 */
export function ocsfProcess(process: Process, platform: Platform, left: Leftovers, at = 'process'): OcsfProcess {
  // argv is kept only when the command line does not already say the same thing.
  if (process.args.join(' ') !== process.cmdline) left.add(`${at}.args`, process.args);
  left.add(`${at}.gid`, process.gid);
  if (process.sid !== undefined && process.uid !== undefined) left.add(`${at}.uid`, process.uid);
  left.add(`${at}.signer`, process.signer);
  left.add(`${at}.fileless`, process.fileless);
  if (process.startTime !== undefined && toIntegerMs(process.startTime) !== process.startTime) {
    left.add(`${at}.startTime`, process.startTime);
  }
  return {
    // pid, name, path, cmd_line, created_time: the same as for a lineage reference.
    ...ocsfProcessRef(process, platform),
    ptid: process.tid,
    working_directory: process.cwd,
    file: process.exe
      ? { ...ocsfFile(process.exe, platform, 'executable'), hashes: ocsfHashes(process.hashes, left, `${at}.hashes`) }
      : undefined,
    user: ocsfUser(process),
    container: process.container ? { uid: process.container.id } : undefined,
    parent_process: process.parent ? ocsfProcessRef(process.parent, platform) : { pid: process.ppid },
  };
}

/** The OCSF `device`: host name (see {@link ExportOptions.hostname}) and OS from the platform. */
export function ocsfDevice(event: EdrEvent, options: ExportOptions): OcsfDevice {
  const hostname = resolveHostname(event, options);
  const [osTypeId, osType] = OS_TYPE[event.platform];
  return {
    type_id: 0,
    type: 'Unknown',
    hostname,
    // OCSF needs some identifier on a device; a replayed event with no host name says so.
    name: hostname === undefined ? 'unknown' : undefined,
    os: {
      name: options.os?.name ?? PLATFORM_OS_NAME[event.platform],
      type_id: osTypeId,
      type: osType,
      version: options.os?.version,
      kernel_release: options.os?.kernelRelease,
    },
  };
}

/** OCSF `metadata`: product edrkit, the backend as log provider and feature, `seq` as sequence. */
export function ocsfMetadata(event: EdrEvent, options: ExportOptions): OcsfMetadata {
  return {
    version: OCSF_SCHEMA_VERSION,
    product: {
      name: 'edrkit',
      vendor_name: 'edrkit',
      version: options.productVersion ?? EDRKIT_VERSION,
      feature: { name: event.source },
    },
    log_provider: event.source,
    sequence: event.seq,
  };
}
