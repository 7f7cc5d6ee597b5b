/**
 * OCSF System Activity mappings: process, file, module and kernel-extension kinds.
 *
 * @module
 */
import type { EventOfKind } from '@edrkit/core';
import { userIdOf } from '../identity.js';
import type { ExportOptions } from '../options.js';
import { toIntegerMs } from '../time.js';
import type { Leftovers } from '../unmapped.js';
import { FILE_TYPE, LAUNCH_TYPE, OCSF_CLASSES } from './catalog.js';
import { ocsfEnvelope } from './envelope.js';
import { ocsfFile, ocsfFileRef, ocsfHashes, ocsfProcess, ocsfProcessRef, ocsfUser } from './objects.js';
import type {
  OcsfActor,
  OcsfFileActivity,
  OcsfKernelExtensionActivity,
  OcsfModuleActivity,
  OcsfProcess,
  OcsfProcessActivity,
} from './types.js';

type WithProcess = Exclude<import('@edrkit/core').EdrEvent, { kind: 'sensor.lost' }>;

/** The acting process as OCSF `actor` (process and its user). */
export function ocsfActor(event: WithProcess, left: Leftovers): OcsfActor {
  return { process: ocsfProcess(event.process, event.platform, left), user: ocsfUser(event.process) };
}

/**
 * `process.exec` -> Process Activity: Launch (launch type Spawn: one event for the whole
 * fork+exec, as OCSF allows). `process` is the new image; `actor.process` is its parent, the
 * process that caused the launch (edrkit does not see the pre-exec image of the same pid).
 */
export function processExec(event: EventOfKind<'process.exec'>, options: ExportOptions, left: Leftovers): OcsfProcessActivity {
  const p = event.process;
  const actorProcess: OcsfProcess = p.parent ? ocsfProcessRef(p.parent, event.platform) : { pid: p.ppid };
  const [launchTypeId, launchType] = LAUNCH_TYPE.spawn;
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.processActivity, 1, options, left),
    class_uid: 1007,
    actor: { process: actorProcess },
    process: ocsfProcess(p, event.platform, left),
    launch_type_id: launchTypeId,
    launch_type: launchType,
  };
}

/**
 * `process.fork` -> Process Activity: Launch with launch type Fork. `actor.process` is the
 * forking process; `process` is the child, which runs the same image and command line.
 */
export function processFork(event: EventOfKind<'process.fork'>, options: ExportOptions, left: Leftovers): OcsfProcessActivity {
  const parent = ocsfProcess(event.process, event.platform, left);
  if (event.child.startTime !== undefined && toIntegerMs(event.child.startTime) !== event.child.startTime) {
    left.add('child.startTime', event.child.startTime);
  }
  const child: OcsfProcess = {
    pid: event.child.pid,
    name: parent.name,
    path: parent.path,
    cmd_line: parent.cmd_line,
    created_time: event.child.startTime !== undefined ? toIntegerMs(event.child.startTime) : undefined,
    file: parent.file,
    user: parent.user,
    container: parent.container,
    parent_process: {
      pid: event.process.pid,
      name: parent.name,
      path: parent.path,
      cmd_line: parent.cmd_line,
      created_time: parent.created_time,
    },
  };
  const [launchTypeId, launchType] = LAUNCH_TYPE.fork;
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.processActivity, 1, options, left),
    class_uid: 1007,
    actor: { process: parent, user: parent.user },
    process: child,
    launch_type_id: launchTypeId,
    launch_type: launchType,
  };
}

/** `process.exit` -> Process Activity: Terminate, reflexive (actor and process are the exiting process). */
export function processExit(event: EventOfKind<'process.exit'>, options: ExportOptions, left: Leftovers): OcsfProcessActivity {
  const actor = ocsfActor(event, left);
  left.add('signal', event.signal);
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.processActivity, 2, options, left),
    class_uid: 1007,
    actor,
    process: { ...actor.process, terminated_time: toIntegerMs(event.time) },
    exit_code: event.exitCode,
  };
}

type FileKind = 'file.create' | 'file.open' | 'file.modify' | 'file.delete' | 'file.rename' | 'file.attr';

const FILE_ACTIVITY: Readonly<Record<FileKind, number>> = {
  'file.create': 1,
  'file.modify': 3,
  'file.delete': 4,
  'file.rename': 5,
  'file.attr': 6,
  'file.open': 14,
};

/**
 * `file.*` -> File System Activity: create 1 Create, modify 3 Update, delete 4 Delete,
 * rename 5 Rename (`file` is the old path, `file_result` the new), attr 6 Set Attributes
 * (`file_result.owner` the new owner; `mode` in `unmapped`), open 14 Open (`flags` in `unmapped`).
 */
export function fileActivity(event: EventOfKind<FileKind>, options: ExportOptions, left: Leftovers): OcsfFileActivity {
  const actor = ocsfActor(event, left);
  const base = ocsfEnvelope(event, OCSF_CLASSES.fileActivity, FILE_ACTIVITY[event.kind], options, left);
  let file = ocsfFileRef(event.file, event.platform, left);
  let fileResult;
  switch (event.kind) {
    case 'file.open':
      if (event.flags.includes('directory')) file = { ...file, ...ocsfFile(event.file.path, event.platform, 'folder') };
      left.add('flags', event.flags);
      break;
    case 'file.rename':
      fileResult = ocsfFileRef(event.target, event.platform, left, 'target');
      break;
    case 'file.attr': {
      left.add('mode', event.mode);
      const owner = event.owner;
      if (owner) {
        const uid = userIdOf(owner);
        if (uid !== undefined) fileResult = { ...file, owner: { uid } };
        if (owner.sid !== undefined) left.add('owner.uid', owner.uid);
        left.add('owner.gid', owner.gid);
      }
      break;
    }
    default:
      break;
  }
  return { ...base, class_uid: 1001, actor, file, file_result: fileResult };
}

/** `image.load` -> Module Activity: Load. How the loader mapped it is not observed, so load type is Unknown. */
export function imageLoad(event: EventOfKind<'image.load'>, options: ExportOptions, left: Leftovers): OcsfModuleActivity {
  const actor = ocsfActor(event, left);
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.moduleActivity, 1, options, left),
    class_uid: 1005,
    actor,
    module: {
      file: { ...ocsfFile(event.image.path, event.platform), hashes: ocsfHashes(event.image.hashes, left, 'image.hashes') },
      load_type_id: 0,
      load_type: 'Unknown',
    },
  };
}

/**
 * `kmod.load` -> Kernel Extension Activity: Load. `driver.file` is the module file (or just
 * its name when the path is unknown); a module name that differs from the file name is kept
 * in `unmapped` as `module.name`.
 */
export function kmodLoad(event: EventOfKind<'kmod.load'>, options: ExportOptions, left: Leftovers): OcsfKernelExtensionActivity {
  const actor = ocsfActor(event, left);
  const { name, path } = event.module;
  const [typeId, type] = FILE_TYPE.regular;
  const file = path !== undefined ? ocsfFile(path, event.platform) : { name, type_id: typeId, type };
  if (file.name !== name) left.add('module.name', name);
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.kernelExtensionActivity, 1, options, left),
    class_uid: 1002,
    actor,
    driver: { file },
  };
}
