/**
 * OCSF mappings of the v1.1 process-target, script, eBPF, volume, pipe and sensor-lifecycle
 * kinds.
 *
 * @module
 */
import type { EventOfKind, TargetProcess } from '@edrkit/core';
import type { ExportOptions } from '../options.js';
import { baseName } from '@edrkit/core';
import { toIntegerMs } from '../time.js';
import type { Leftovers } from '../unmapped.js';
import { EDRKIT_VERSION } from '../version.js';
import { FILE_TYPE, INJECTION_TYPE, OCSF_CLASSES, SCRIPT_TYPE } from './catalog.js';
import { ocsfEnvelope } from './envelope.js';
import { ocsfFile } from './objects.js';
import { ocsfActor } from './system.js';
import type {
  OcsfApplicationLifecycle,
  OcsfFileActivity,
  OcsfKernelExtensionActivity,
  OcsfProcess,
  OcsfProcessActivity,
  OcsfScriptActivity,
} from './types.js';

function targetProcess(target: TargetProcess, platform: EventOfKind<'process.access'>['platform'], left: Leftovers): OcsfProcess {
  if (target.startTime !== undefined && toIntegerMs(target.startTime) !== target.startTime) left.add('target.startTime', target.startTime);
  return {
    pid: target.pid,
    ptid: target.tid,
    name: target.exe ? baseName(target.exe, platform) : undefined,
    path: target.exe || undefined,
    file: target.exe ? ocsfFile(target.exe, platform, 'executable') : undefined,
    created_time: target.startTime !== undefined ? toIntegerMs(target.startTime) : undefined,
  };
}

/**
 * `process.access` -> Process Activity: Open 3 (actor opens `process`); the Windows access mask
 * is `requested_permissions`, the portable rights go to `unmapped["access.rights"]`.
 * `process.tamper` -> Process Activity: Inject 4 with `injection_type_id` (Remote Thread, Load
 * Library, Queue APC, or Other with the technique named).
 */
export function processTarget(
  event: EventOfKind<'process.access' | 'process.tamper'>,
  options: ExportOptions,
  left: Leftovers,
): OcsfProcessActivity {
  const actor = ocsfActor(event, left);
  const base = ocsfEnvelope(event, OCSF_CLASSES.processActivity, event.kind === 'process.access' ? 3 : 4, options, left);
  const process = targetProcess(event.target, event.platform, left);
  if (event.kind === 'process.access') {
    left.add('access.rights', event.access.rights);
    return { ...base, class_uid: 1007, actor, process, requested_permissions: event.access.mask };
  }
  const [injectionTypeId, injectionType] = INJECTION_TYPE[event.technique] ?? [99, event.technique];
  left.add('startAddress', event.startAddress);
  left.add('startModule', event.startModule);
  return { ...base, class_uid: 1007, actor, process, injection_type_id: injectionTypeId, injection_type: injectionType };
}

/** `script.content` -> Script Activity: Execute 1; `script.type_id` from the interpreter name. */
export function scriptContent(event: EventOfKind<'script.content'>, options: ExportOptions, left: Leftovers): OcsfScriptActivity {
  const { script } = event;
  const actor = ocsfActor(event, left);
  const [typeId, type] = SCRIPT_TYPE[script.interpreter.toLowerCase()] ?? [99, script.interpreter];
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.scriptActivity, 1, options, left),
    class_uid: 1009,
    actor,
    script: {
      script_content: { value: script.content, is_truncated: script.truncated || undefined },
      type_id: typeId,
      type,
      file: script.path !== undefined ? ocsfFile(script.path, event.platform) : undefined,
    },
  };
}

/**
 * `bpf.load` -> Kernel Extension Activity: Load. An eBPF program is code loaded into the
 * kernel, as a module is; OCSF has no eBPF object, so `driver.file` names the program (type
 * Other, "eBPF program") and the program facts go to `unmapped`.
 */
export function bpfLoad(event: EventOfKind<'bpf.load'>, options: ExportOptions, left: Leftovers): OcsfKernelExtensionActivity {
  const { bpf } = event;
  const actor = ocsfActor(event, left);
  const [typeId] = FILE_TYPE.other;
  left.add('bpf.progType', bpf.progType);
  left.add('bpf.attachType', bpf.attachType);
  left.add('bpf.id', bpf.id);
  left.add('bpf.tag', bpf.tag);
  left.add('bpf.operation', bpf.operation);
  left.add('bpf.instructions', bpf.instructions);
  left.add('bpf.attachTarget', bpf.attachTarget);
  return {
    // Load 1; an attach of a loaded program is no load: Other 99.
    ...ocsfEnvelope(event, OCSF_CLASSES.kernelExtensionActivity, bpf.operation === 'attach' ? 99 : 1, options, left),
    class_uid: 1002,
    actor,
    driver: { file: { name: bpf.name ?? `${bpf.progType} program`, type_id: typeId, type: 'eBPF program' } },
  };
}

/**
 * `volume.mount` / `volume.unmount` -> File System Activity: Mount 12 / Unmount 13 on the mount
 * point (a folder); device, file system type and removable go to `unmapped`.
 * `pipe.create` / `pipe.connect` -> File System Activity: Create 1 / Open 14 on a file of type
 * Named Pipe.
 */
export function volumeOrPipe(
  event: EventOfKind<'volume.mount' | 'volume.unmount' | 'pipe.create' | 'pipe.connect'>,
  options: ExportOptions,
  left: Leftovers,
): OcsfFileActivity {
  const actor = ocsfActor(event, left);
  if (event.kind === 'volume.mount' || event.kind === 'volume.unmount') {
    const { volume } = event;
    left.add('volume.device', volume.device);
    left.add('volume.fsType', volume.fsType);
    left.add('volume.removable', volume.removable);
    left.add('volume.readOnly', volume.readOnly);
    return {
      ...ocsfEnvelope(event, OCSF_CLASSES.fileActivity, event.kind === 'volume.mount' ? 12 : 13, options, left),
      class_uid: 1001,
      actor,
      file: ocsfFile(volume.mountPoint, event.platform, 'folder'),
    };
  }
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.fileActivity, event.kind === 'pipe.create' ? 1 : 14, options, left),
    class_uid: 1001,
    actor,
    file: ocsfFile(event.pipe.name, event.platform, 'pipe'),
  };
}

/**
 * `sensor.start` / `sensor.stop` -> Application Lifecycle: Start 3 / Stop 4 of the edrkit
 * sensor (`app`), the backend as its feature. Kinds, model version and stop reason go to
 * `unmapped`; the embedding process is not an OCSF actor of this class, so it is kept there too.
 */
export function sensorLifecycle(
  event: EventOfKind<'sensor.start' | 'sensor.stop'>,
  options: ExportOptions,
  left: Leftovers,
): OcsfApplicationLifecycle {
  const { sensor } = event;
  left.add('sensor.kinds', sensor.kinds);
  left.add('sensor.model', sensor.model);
  left.add('sensor.version', sensor.version);
  left.add('process.pid', event.process.pid);
  left.add('process.exe', event.process.exe);
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.applicationLifecycle, event.kind === 'sensor.start' ? 3 : 4, options, left),
    class_uid: 6002,
    app: { name: 'edrkit', vendor_name: 'edrkit', version: options.productVersion ?? EDRKIT_VERSION, feature: { name: sensor.backend } },
    status_detail: sensor.reason,
  };
}
