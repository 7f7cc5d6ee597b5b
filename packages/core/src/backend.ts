/**
 * The contract between a platform backend and the sensor. A backend knows one OS
 * mechanism (eBPF, ETW, Endpoint Security, a recording); the sensor owns queueing,
 * sequence numbers, lineage, filtering and loss reporting, identically for all.
 *
 * @module
 */
import type { EventDraft, ObservableKind, Platform, ProcessRef } from './events/schema.js';
import type { ErrorCode } from './errors.js';
import type { EventFilter } from './sensor/filter.js';

/** Whether a backend can produce one kind on this host, and why not. */
export type KindSupport = { supported: true; note?: string } | { supported: false; reason: string };

/** What a backend can do on this host. */
export interface BackendProbe {
  /** Backend id, e.g. `linux-ebpf`. */
  id: string;
  /** True when the backend can start on this host with current privileges. */
  available: boolean;
  /** Why the backend cannot start, and the fix (when `available` is false). */
  reason?: string;
  /** The error code start() would fail with (when `available` is false). */
  code?: ErrorCode;
  /** Per-kind support; every observable kind is listed. */
  kinds: Record<ObservableKind, KindSupport>;
  /** Free-form facts worth showing in `edrkit doctor` (kernel version, features found, …). */
  details?: Record<string, string | number | boolean>;
}

/** Options a backend receives on start. */
export interface BackendStartOptions {
  /** The kinds the sensor wants; the backend may produce others, the sensor drops them. */
  kinds: readonly ObservableKind[];
  /** The sensor's filter; a backend applies what it can early (in the kernel). JS re-checks. */
  filter: EventFilter;
  /** Abort to stop the backend (the sensor also calls stop()). */
  signal: AbortSignal;
  /** Backend-specific options, passed through from `openSensor({ backendOptions })`. */
  backendOptions?: Record<string, unknown>;
  /**
   * Which `file.open` events the sensor delivers when `kinds` holds it: `all` (asked for by
   * name), or `block-devices` (left to the default: only opens of block devices, raw access
   * reads, `file.type: 'block'`). A backend should produce only those early (in the kernel);
   * the sensor drops the others. Absent means `all`.
   */
  fileOpen?: 'all' | 'block-devices';
  /**
   * The sensor hashes files written (`openSensor({ hashes })`). A backend that can tell when
   * a writer closes a file then also sends a `file.modify` at that close, so the
   * hashes are of what was written. Absent means false.
   */
  hashes?: boolean;
}

/** Where a backend delivers what it observes. All methods may be called from any callback. */
export interface EventSink {
  /**
   * Deliver events (batched: one call per batch keeps the hot path cheap). The sensor takes
   * ownership of the objects: it completes them in place (`seq`, `process.parent`).
   */
  push(events: readonly EventDraft[]): void;
  /** Report events the backend lost before they reached the sink (e.g. a full kernel ring). */
  lost(count: number, reason: string, stage?: 'kernel' | 'backend'): void;
  /**
   * Report a non-fatal problem (a malformed record skipped, a feature degraded). The sensor
   * counts it and emits it as a `warning`; it never ends the stream.
   */
  warn(err: Error): void;
  /** Report a fatal backend error; the sensor ends its stream with it. */
  error(err: Error): void;
  /**
   * Resolves when the sensor's queues have room again: each is at most half full. Backends
   * that can pause (a recording) await it between batches no larger than half of
   * `maxQueue`, and so never cause drops; live backends ignore it.
   */
  ready(): Promise<void>;
  /** The backend has no more events (end of a recording). */
  end(): void;
}

/** Counters a backend keeps. */
export interface BackendStats {
  /** Records received from the OS (before decoding). */
  received: number;
  /** Events lost before decoding (kernel ring full, …). */
  lost: number;
  /** Records that failed to decode (reported through sink.error or counted here). */
  malformed?: number;
  /** Anything backend-specific. */
  [key: string]: number | undefined;
}

/** A platform backend. One instance serves one sensor. */
export interface Backend {
  /** Backend id: `linux-ebpf`, `windows-etw`, `macos-es`, `replay`, … */
  readonly id: string;
  /** The platform whose events it produces. */
  readonly platform: Platform;
  /**
   * True for backends that replay finished events (recordings): the sensor then leaves
   * them as recorded and adds no lineage unless `processTable` options are given.
   */
  readonly replaysRecordedEvents?: boolean;
  /** Check what this backend can do here. Never throws for a missing feature: it reports it. */
  probe(): Promise<BackendProbe>;
  /** Start producing events into `sink`. Throws an {@link EdrkitError} naming the fix when it cannot. */
  start(options: BackendStartOptions, sink: EventSink): Promise<void>;
  /** Stop and release every OS resource. Idempotent. */
  stop(): Promise<void>;
  /** Current counters. */
  stats(): BackendStats;
  /**
   * Optional: describe a process the sensor has not seen (e.g. a parent started before the
   * sensor) for lineage. Synchronous and cheap; `undefined` when unknown.
   */
  lookupProcess?(pid: number): ProcessRef | undefined;
}

/** Build a `kinds` map where every observable kind has the same support. */
export function allKinds(support: KindSupport, kinds: readonly ObservableKind[]): Record<ObservableKind, KindSupport> {
  return Object.fromEntries(kinds.map((k) => [k, support])) as Record<ObservableKind, KindSupport>;
}
