/**
 * The sensor's own lifecycle events, `sensor.start` and `sensor.stop`: what the sensor says
 * about itself (version, backend, kinds, model version) with the embedding process as actor.
 *
 * @module
 */
import { EVENT_MODEL_VERSION, type EventOfKind, type Platform, type Process } from '../events/schema.js';
import { EDRKIT_CORE_VERSION } from '../version.js';

/** The two lifecycle kinds. */
export type LifecycleKind = 'sensor.start' | 'sensor.stop';

/** The process embedding the sensor, as the `process` of its own lifecycle events. */
export function selfProcess(): Process {
  const p: Process = {
    pid: process.pid,
    ppid: process.ppid,
    exe: process.execPath,
    args: [...process.argv],
    cmdline: process.argv.join(' '),
  };
  try {
    p.cwd = process.cwd();
  } catch {
    // The working directory was removed: leave it out rather than fail to open a sensor.
  }
  // POSIX only; Windows has no numeric ids.
  if (typeof process.getuid === 'function') p.uid = process.getuid();
  if (typeof process.getgid === 'function') p.gid = process.getgid();
  return p;
}

/** Build a lifecycle event (the sensor assigns `seq`). */
export function lifecycleEvent<K extends LifecycleKind>(
  kind: K,
  at: { seq: number; platform: Platform; source: string; backend: string; kinds: string[]; reason?: string },
): EventOfKind<K> {
  return {
    kind,
    time: Date.now(),
    seq: at.seq,
    platform: at.platform,
    source: at.source as EventOfKind<K>['source'],
    process: selfProcess(),
    sensor: {
      version: EDRKIT_CORE_VERSION,
      backend: at.backend,
      kinds: at.kinds,
      model: EVENT_MODEL_VERSION,
      ...(at.reason !== undefined ? { reason: at.reason } : {}),
    },
  } as EventOfKind<K>;
}
