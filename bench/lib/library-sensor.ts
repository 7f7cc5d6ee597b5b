/**
 * edrkit as a library inside the bench process: a linux-ebpf sensor whose addon is wrapped
 * to capture the exact options handed to the native open (kinds bits, filter maps, ring
 * size, disabled program groups), so the C consumer can load the same object the same way.
 */
import { openSensor, type EdrEvent, type EventFilter, type Sensor } from '@edrkit/core';
import { LinuxEbpfBackend, type LinuxEbpfOptions } from '@edrkit/linux';
import type { LinuxAddonApi, NativeOpenOptions } from '../../packages/linux/src/native/addon-api.js';
import { loadAddon } from '../../packages/linux/src/native/load-addon.js';

/** A sensor and the native options it was opened with. */
export interface LibrarySensor {
  sensor: Sensor;
  native: Omit<NativeOpenOptions, 'onBatch'>;
}

/** Open a linux-ebpf sensor (default kinds unless given). */
export async function openLibrarySensor(filter: EventFilter = {}, backendOptions: LinuxEbpfOptions = {}, kinds?: EdrEvent['kind'][]): Promise<LibrarySensor> {
  let native: Omit<NativeOpenOptions, 'onBatch'> | undefined;
  const real = loadAddon() as LinuxAddonApi;
  // The addon's exports are frozen: a proxy over a fresh object forwards everything but open(),
  // which records its options first.
  const open = (o: NativeOpenOptions) => {
    const { onBatch: _, ...rest } = o;
    native = rest;
    return real.open(o);
  };
  const addon = new Proxy({} as LinuxAddonApi, { get: (_t, key) => (key === 'open' ? open : (real as unknown as Record<PropertyKey, unknown>)[key]) });

  const backend = new LinuxEbpfBackend(backendOptions, { addon });
  const sensor = await openSensor({ backend, filter, ...(kinds ? { kinds } : {}) });
  if (!native) throw new Error('bench: the backend opened without calling the addon');
  return { sensor, native };
}

/** What a consumer loop saw. */
export interface Consumed {
  /** Events for which `match` held. */
  matched: number;
  /** Counted losses (sensor.lost events) seen in the stream. */
  lost: number;
  /** process.hrtime (CLOCK_MONOTONIC ns) when the last matching event was handled. */
  lastNs: bigint;
}

/**
 * Iterate `sensor` until `matched + lost >= expected`, or nothing new arrived for `idleMs`
 * after `started()` resolves. `onMatch` sees every matching event (latency measurement).
 */
export async function consumeUntil(
  sensor: Sensor,
  opts: { match: (e: EdrEvent) => boolean; expected: number; idleMs?: number; onMatch?: (e: EdrEvent) => void; started: Promise<unknown> },
): Promise<Consumed> {
  const ac = new AbortController();
  const out: Consumed = { matched: 0, lost: 0, lastNs: 0n };
  let activity = Date.now();
  let go = false;
  void opts.started.then(() => ((go = true), (activity = Date.now())));
  const idle = setInterval(() => {
    if (go && Date.now() - activity > (opts.idleMs ?? 3000)) ac.abort();
  }, 100);
  try {
    for await (const e of sensor.events({ signal: ac.signal })) {
      activity = Date.now();
      if (e.kind === 'sensor.lost') out.lost += e.lost.count;
      else if (opts.match(e)) {
        out.matched++;
        out.lastNs = process.hrtime.bigint();
        opts.onMatch?.(e);
      }
      if (out.matched + out.lost >= opts.expected) break;
    }
  } catch (err) {
    if ((err as Error).name !== 'AbortError') throw err;
  } finally {
    clearInterval(idle);
  }
  return out;
}
