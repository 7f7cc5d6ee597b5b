/**
 * `openSensor()`: validate options, probe the backend, start it, return a {@link Sensor}.
 *
 * @module
 */
import type { Backend } from '../backend.js';
import { InvalidArgumentError, NotSupportedError } from '../errors.js';
import { probeError } from '../probe-error.js';
import {
  EVENT_KINDS,
  HIGH_VOLUME_KINDS,
  OBSERVABLE_KINDS,
  isEventKind,
  isSensorKind,
  type EventKind,
  type ObservableKind,
} from '../events/schema.js';
import { OVERFLOW_POLICIES, type OverflowPolicy } from './event-queue.js';
import { compileFilter, type EventFilter } from './filter.js';
import { ProcessTable, type ProcessTableOptions } from './process-table.js';
import { Sensor } from './sensor.js';
import { FileHasher, type HashOptions } from '../enrich/file-hasher.js';
import { HashingBackend } from '../enrich/hashing-backend.js';

/** Options of {@link openSensor}. */
export interface SensorOptions {
  /** The backend to read from (the `edrkit` package picks one for the platform). */
  backend: Backend;
  /**
   * Kinds to deliver. Default: every kind the backend supports here, except high-volume
   * kinds (`file.open`) which must be named for all their events: left to the default,
   * `file.open` gives only opens of block devices (`file.type: 'block'`, raw access reads).
   * `sensor.lost` is always delivered;
   * `sensor.start` / `sensor.stop` when this is left out or names them (see `lifecycleEvents`).
   */
  kinds?: readonly EventKind[];
  /** Which events to keep; applied in the kernel where the backend can, and always in JS. */
  filter?: EventFilter;
  /** Capacity of each consumer queue (default 10 000 events). */
  maxQueue?: number;
  /** What a full consumer queue does (default `drop-newest`). Drops are always counted. */
  overflow?: OverflowPolicy;
  /** Aborting closes the sensor; iterators end with an `AbortError`. */
  signal?: AbortSignal;
  /** Passed to the backend as is (e.g. `{ ringBufferBytes }` for linux-ebpf). */
  backendOptions?: Record<string, unknown>;
  /** Lineage tracking (`process.parent`); `false` turns it off. */
  processTable?: ProcessTableOptions | false;
  /**
   * When a kind named in `kinds` is unsupported by the backend here: `error` (default)
   * throws `ERR_NOT_SUPPORTED` naming the kind and why; `ignore` delivers the rest.
   */
  unsupportedKinds?: 'error' | 'ignore';
  /**
   * Kinds of `kinds` that may be absent on this backend (a "whatever this family offers here"
   * selection, such as the CLI's `--kinds process.*`): left out when unsupported, whatever
   * `unsupportedKinds` says. If every kind asked for is optional and none is produced here,
   * opening fails with `ERR_NOT_SUPPORTED`.
   */
  optionalKinds?: readonly EventKind[];
  /**
   * Emit the sensor's own `sensor.start` (first event, with the model version) and
   * `sensor.stop` (last event before the stream ends). Default: `true`, except for backends
   * that replay recorded events (a recording carries the original sensor's). They are
   * delivered when `kinds` is left out or names them.
   */
  lifecycleEvents?: boolean;
  /**
   * Add file hashes (and size, first bytes, entropy of files written) to `process.exec`,
   * `image.load`, `file.create` and `file.modify`: the hashing enrichment stage, for every
   * backend. Off by default. Not applied to replayed recordings (their files are another
   * host's). See docs/events.md, "Hashes and file facts".
   */
  hashes?: HashOptions;
}

/** Default capacity of a consumer queue. */
export const DEFAULT_MAX_QUEUE = 10_000;

/**
 * Open a sensor on `options.backend`.
 *
 * @example
 * ```ts
 * await using sensor = await openSensor({ backend, kinds: ['process.exec'] });
 * for await (const e of sensor.events({ signal })) console.log(e.process.exe);
 * ```
 * @throws {@link InvalidArgumentError} for bad options; when the backend cannot run here, the
 *   error of {@link probeError} (a `BackendUnavailableError` with the probe's code, e.g.
 *   `ERR_PERMISSION`), the same one the backend's own `start()` throws.
 */
export async function openSensor(options: SensorOptions): Promise<Sensor> {
  if (!options || typeof options !== 'object') throw new InvalidArgumentError('openSensor: options object is required');
  const given = options.backend;
  if (!given || typeof given.start !== 'function' || typeof given.probe !== 'function') {
    throw new InvalidArgumentError('openSensor: options.backend must be a Backend (from `edrkit`, @edrkit/linux, or a ReplayBackend)');
  }
  const hasher = options.hashes !== undefined ? new FileHasher(options.hashes) : undefined; // validates the options
  const backend = hasher && !given.replaysRecordedEvents ? new HashingBackend(given, hasher) : given;
  const maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
  if (!Number.isInteger(maxQueue) || maxQueue < 1) {
    throw new InvalidArgumentError(`openSensor: maxQueue must be a positive integer, got ${String(options.maxQueue)}`);
  }
  const overflow = options.overflow ?? 'drop-newest';
  if (!OVERFLOW_POLICIES.includes(overflow)) {
    throw new InvalidArgumentError(`openSensor: overflow must be one of ${OVERFLOW_POLICIES.join(', ')}, got ${String(overflow)}`);
  }
  const filter = compileFilter(options.filter ?? {});
  options.signal?.throwIfAborted();

  const probe = await backend.probe();
  if (!probe.available) {
    throw probeError(probe);
  }
  const wanted = resolveKinds(options.kinds, probe.kinds, backend.id, options.unsupportedKinds ?? 'error', options.optionalKinds ?? []);
  // Left to the default, file.open (high volume) still gives its high-signal part: raw disk reads.
  const fileOpen = options.kinds === undefined && probe.kinds['file.open']?.supported ? 'block-devices' : 'all';
  if (fileOpen === 'block-devices') wanted.push('file.open');
  const kinds = new Set<EventKind>([...wanted, 'sensor.lost']);
  for (const k of ['sensor.start', 'sensor.stop'] as const) if (options.kinds === undefined || options.kinds.includes(k)) kinds.add(k);

  const sensor = new Sensor({
    backend,
    probe,
    kinds,
    filter,
    maxQueue,
    overflow,
    lifecycle: options.lifecycleEvents ?? !backend.replaysRecordedEvents,
    fileOpen,
    processTable:
      options.processTable === false || (backend.replaysRecordedEvents && options.processTable === undefined)
        ? undefined
        : new ProcessTable({
            ...options.processTable,
            ...(backend.lookupProcess ? { lookup: (pid: number) => backend.lookupProcess?.(pid) } : {}),
          }),
  });

  const controller = new AbortController();
  const onAbort = () => void sensor.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void sensor.done.then(() => options.signal?.removeEventListener('abort', onAbort));
  try {
    await backend.start(
      {
        kinds: wanted,
        filter: options.filter ?? {},
        signal: controller.signal,
        ...(fileOpen === 'block-devices' ? { fileOpen } : {}),
        ...(hasher ? { hashes: true } : {}),
        ...(options.backendOptions ? { backendOptions: options.backendOptions } : {}),
      },
      sensor.sink,
    );
  } catch (err) {
    options.signal?.removeEventListener('abort', onAbort);
    await backend.stop().catch(() => {});
    throw err;
  }
  void sensor.done.then(() => controller.abort());
  return sensor;
}

function resolveKinds(
  requested: readonly EventKind[] | undefined,
  support: Record<ObservableKind, { supported: boolean; reason?: string }>,
  backendId: string,
  onUnsupported: 'error' | 'ignore',
  optional: readonly EventKind[],
): ObservableKind[] {
  if (requested === undefined) {
    return OBSERVABLE_KINDS.filter((k) => support[k]?.supported && !HIGH_VOLUME_KINDS.includes(k));
  }
  if (!Array.isArray(requested)) throw new InvalidArgumentError('openSensor: kinds must be an array of event kinds');
  const out: ObservableKind[] = [];
  for (const k of requested) {
    if (!isEventKind(k)) {
      throw new InvalidArgumentError(`openSensor: unknown kind ${JSON.stringify(k)}; valid kinds: ${EVENT_KINDS.join(', ')}`);
    }
    if (isSensorKind(k)) continue;
    const s = support[k];
    if (!s?.supported) {
      if (onUnsupported === 'ignore' || optional.includes(k)) continue;
      throw new NotSupportedError(
        `${k} on ${backendId}`,
        `backend '${backendId}' cannot produce '${k}' here: ${s?.reason ?? 'not reported by the backend'} (pass unsupportedKinds: 'ignore' to receive the other kinds)`,
      );
    }
    if (!out.includes(k)) out.push(k);
  }
  const asked = requested.filter((k) => !isSensorKind(k));
  if (out.length === 0 && asked.length > 0 && asked.every((k) => optional.includes(k))) {
    throw new NotSupportedError(`${asked.join(', ')} on ${backendId}`, `backend '${backendId}' produces none of the selected kinds here (${asked.join(', ')})`);
  }
  return out;
}
