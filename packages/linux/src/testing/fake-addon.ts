/**
 * A fake of the linux-ebpf addon ({@link LinuxAddonApi}) under test control: it records what
 * `open()` was configured with, and the test decides which batches of (real ABI-2) records
 * arrive, the kernel drop counter, the clock offset, a poll error, open failures and what a
 * close does. It keeps the addon's contract: batches arrive only between open and teardown,
 * a poll error ends delivery, and a handle is torn down at most once whoever asks
 * (close, closeAsync or the process-exit hook).
 *
 * @module
 */
import type { LinuxAddonApi, NativeError, NativeHandle, NativeOpenOptions, NativeOpenResult } from '../native/addon-api.js';
import { LAYOUT } from '../decode/layout.js';
import { batch as frame } from '../decode/record-builder.js';

/** 2026-01-01T00:00:00Z as CLOCK_REALTIME − CLOCK_BOOTTIME for a host booted then (ns). */
export const FAKE_CLOCK_OFFSET_NS = Date.UTC(2026, 0, 1) * 1e6;

/** One `open()` the fake served. */
export interface FakeSensor {
  readonly handle: NativeHandle;
  /** The options `open()` got (the kernel-side configuration). */
  readonly options: NativeOpenOptions;
  /** Cumulative kernel drops, as the BPF per-CPU counter would hold them. */
  drops: number;
  /** Cumulative opens folded in the kernel (coalesceMs), as the BPF per-CPU counter would hold them. */
  coalesced: number;
  /** Polling ended by a poll error (no batch arrives after it). */
  pollFailed: boolean;
  /** How the handle was torn down, once; undefined while open. */
  tornDownBy: 'close' | 'closeAsync' | 'exit' | undefined;
  /** Every close()/closeAsync() call, including those that found it torn down already. */
  closeCalls: number;
  /** The kernel half of the teardown has finished (closeAsync resolves after it). */
  unloaded: boolean;
}

/** A native error as addon.c throws it from open() (code, errno, stage). */
export function nativeError(code: 'EPERM' | 'EBPF', errno: number, stage: string, message: string): NativeError {
  return Object.assign(new Error(message), { code, errno, stage });
}

/** See the module comment. */
export class FakeLinuxAddon implements LinuxAddonApi {
  /** What `clockOffsetNs()` returns; change it to model an NTP or settimeofday step. */
  clockOffset = FAKE_CLOCK_OFFSET_NS;
  /** Calls of `clockOffsetNs()`. */
  clockReads = 0;
  /** Thrown by the next `open()` (then cleared). */
  openError: Error | undefined;
  /** Programs reported as failed to attach by `open()`. */
  failedPrograms: { name: string; errno: number; message: string }[] = [];
  /** Programs reported as absent (their syscall is not on this kernel) by `open()`. */
  absentPrograms: string[] = [];
  /** How long `closeAsync()` takes (ms): the real one waits for RCU grace periods. */
  closeDelayMs = 0;
  /** Every sensor opened, oldest first. */
  readonly sensors: FakeSensor[] = [];
  private nextId = 1;

  /** The most recent sensor; throws when nothing was opened (a test bug, said plainly). */
  get current(): FakeSensor {
    const s = this.sensors.at(-1);
    if (!s) throw new Error('FakeLinuxAddon: open() was never called');
    return s;
  }

  open(options: NativeOpenOptions): NativeOpenResult {
    const err = this.openError;
    if (err) {
      this.openError = undefined;
      throw err;
    }
    const id = this.nextId++;
    const handle = { fakeSensor: id } as unknown as NativeHandle;
    this.sensors.push({ handle, options, drops: 0, coalesced: 0, pollFailed: false, tornDownBy: undefined, closeCalls: 0, unloaded: false });
    return { handle, attached: ['edrkit_proc_exec'], failed: [...this.failedPrograms], absent: [...this.absentPrograms], progIds: [id * 100 + 1], mapIds: [id * 100 + 2] };
  }

  /**
   * Deliver a batch of records (built with the record builder, or raw framed bytes) to the
   * current sensor, after adding `drops` to its kernel drop counter; `errno` > 0 makes it the
   * last batch, carrying that poll error. Returns false when the addon would deliver nothing
   * (torn down, or polling already failed).
   */
  emit(records: readonly Uint8Array[] | Uint8Array, opts: { drops?: number; errno?: number } = {}): boolean {
    const s = this.current;
    if (s.tornDownBy || s.pollFailed) return false;
    s.drops += opts.drops ?? 0;
    if (opts.errno) s.pollFailed = true;
    const bytes = records instanceof Uint8Array ? records : frame(records);
    // A fresh ArrayBuffer per batch, as the addon hands over.
    const buf = new ArrayBuffer(bytes.byteLength);
    new Uint8Array(buf).set(bytes);
    s.options.onBatch(buf, s.drops, opts.errno ? -opts.errno : 0);
    return true;
  }

  /** Kernel drops only (an empty batch carrying the new count, as the poll thread sends). */
  drop(n: number): boolean {
    return this.emit([], { drops: n });
  }

  /** The poll thread fails with `errno` (e.g. 9, EBADF): an empty last batch with the error. */
  failPoll(errno: number): boolean {
    return this.emit([], { errno });
  }

  /** The env cleanup hook: process exit or worker.terminate() tears down what is still open. */
  exit(): void {
    for (const s of this.sensors) {
      s.tornDownBy ??= 'exit';
      s.unloaded = true;
    }
  }

  close(handle: NativeHandle): void {
    const s = this.find(handle);
    s.closeCalls++;
    s.tornDownBy ??= 'close';
    s.unloaded = true;
  }

  async closeAsync(handle: NativeHandle): Promise<void> {
    const s = this.find(handle);
    s.closeCalls++;
    if (s.tornDownBy) return;
    s.tornDownBy = 'closeAsync'; // delivery stops at once, as teardown_delivery() does
    if (this.closeDelayMs > 0) await new Promise((r) => setTimeout(r, this.closeDelayMs));
    s.unloaded = true;
  }

  drops(handle: NativeHandle): number {
    return this.find(handle).drops;
  }

  coalesced(handle: NativeHandle): number {
    return this.find(handle).coalesced;
  }

  clockOffsetNs(): number {
    this.clockReads++;
    return this.clockOffset;
  }

  layout(): Record<string, number> {
    return { ...LAYOUT };
  }

  libbpfVersion(): string {
    return 'fake';
  }

  private find(handle: NativeHandle): FakeSensor {
    const s = this.sensors.find((x) => x.handle === handle);
    if (!s) throw new TypeError('FakeLinuxAddon: not a handle of this addon');
    return s;
  }
}
