/**
 * The typed OS boundary of linux-ebpf: the functions native/linux/addon.c exports
 * ({@link LinuxAddonApi}) and the host facts the probe reads ({@link LinuxHostApi}). The
 * backend and the probe reach the kernel only through these, so `@edrkit/linux/testing` can
 * hand them a fake and every line of backend logic runs in tests without root.
 *
 * @module
 */

/** Options of the addon's `open()`. */
export interface NativeOpenOptions {
  /** A BPF object file to load instead of the one embedded in the addon (absent: the embedded one). */
  objectPath?: string;
  kinds: number;
  filterFlags: number;
  selfTgid: number;
  ringBytes: number;
  /** Program name prefixes not to load. */
  disable: string[];
  /** Uprobe programs whose names start with `prefix` attach to `path` instead of the file their section names. */
  uprobeTargets?: { prefix: string; path: string }[];
  pidInclude?: number[];
  pidExclude?: number[];
  uidInclude?: number[];
  uidExclude?: number[];
  names?: string[];
  /** filter.exe prefixes (plain prefixes only, at most 8, each under 256 UTF-8 bytes), compared in the kernel at exec. */
  exePrefixes?: string[];
  /** Inode numbers of the directories whose close-after-write the kernel reports (part B: watched files). */
  watchDirInodes?: number[];
  /** Fold repeated opens of a file by a process within this many ms into one record (0 = off). */
  coalesceMs?: number;
  /** Called on the JS thread with a batch, the cumulative kernel drop count, and a poll error (negative errno) or 0. */
  onBatch: (batch: ArrayBuffer, drops: number, err: number) => void;
}

/** An opaque native sensor handle. */
export type NativeHandle = { readonly __edrkitNative: unique symbol };

/** What a native open attached. */
export interface NativeOpenResult {
  handle: NativeHandle;
  attached: string[];
  failed: { name: string; errno: number; message: string }[];
  /**
   * Syscall tracepoint programs not loaded because their syscall does not exist on this
   * kernel (arm64 has no open, creat, unlink, ...; its libc uses the *at calls, which are
   * covered): nothing is missed, so they are not failures. Absent from older addons.
   */
  absent?: string[];
  /** Kernel ids of the loaded programs (as `bpftool prog list` shows them). */
  progIds: number[];
  /** Kernel ids of the maps. */
  mapIds: number[];
}

/**
 * The addon's exports (native/linux/addon.c). After a poll error (`err` < 0 in `onBatch`)
 * the addon's poll thread has ended: no further batch arrives for that handle.
 */
export interface LinuxAddonApi {
  /** open -> configure -> load -> attach -> start polling; throws a {@link NativeError}. */
  open(options: NativeOpenOptions): NativeOpenResult;
  /** Stop polling, detach and unload on the JS thread. A second close of a handle does nothing. */
  close(handle: NativeHandle): void;
  /** Like close(), but detaches and unloads on the libuv pool: the event loop is not blocked. */
  closeAsync(handle: NativeHandle): Promise<void>;
  /** Cumulative kernel drops of the handle. */
  drops(handle: NativeHandle): number;
  /** Cumulative opens folded in the kernel (coalesceMs), counted apart from drops. */
  coalesced(handle: NativeHandle): number;
  /** CLOCK_REALTIME − CLOCK_BOOTTIME in nanoseconds, read now. */
  clockOffsetNs(): number;
  /** `sizeof`/`offsetof` of the edrkit.h structs as the C compiler laid them out. */
  layout(): Record<string, number>;
  libbpfVersion(): string;
}

/** The error thrown by the addon's open(). */
export interface NativeError extends Error {
  code: 'EPERM' | 'EBPF' | string;
  errno: number;
  stage: string;
}

/** tracefs as {@link LinuxHostApi.ensureTracefs} found (or made) it. */
export type TracefsState = 'mounted' | 'mounted-by-edrkit' | 'unreadable' | 'missing';

/** The host facts linux-ebpf reads besides the addon (the real ones are in probe.ts). */
export interface LinuxHostApi {
  /** `process.platform`. */
  readonly platform: NodeJS.Platform;
  /** The embedding process (excluded in the kernel unless `filter.includeSelf`). */
  readonly pid: number;
  /** Where processes are read on a cache miss (`/proc`). */
  readonly procRoot: string;
  /** The account file for `process.user` (`/etc/passwd`). */
  readonly passwdPath: string;
  /** `os.release()`. */
  kernelRelease(): string;
  /** Whether a file exists (BTF, the BPF object, tracepoint directories). */
  exists(path: string): boolean;
  /** Whether this process may load and attach tracing BPF programs, and how. */
  privileges(): { ok: boolean; how: string };
  /** Effective uid 0. */
  isRoot(): boolean;
  /** tracefs state, mounting it first when missing and `mayMount`. */
  ensureTracefs(mayMount: boolean): TracefsState;
}

/**
 * What a {@link LinuxEbpfBackend} (and the probe) use to reach the OS. Each part defaults to
 * the real one; `addon` may be a function so the native addon is loaded only when first used.
 */
export interface LinuxOsApi {
  addon?: LinuxAddonApi | (() => LinuxAddonApi);
  host?: LinuxHostApi;
}
