/**
 * `LinuxEbpfBackend`: the edrkit Backend over the BPF programs of native/linux. start()
 * follows open -> configure -> load -> attach -> poll (inside the addon); records arrive in
 * batches, are decoded with DataView, enriched from the process cache and pushed to the sink.
 * Kernel drops (ring full) are reported with sink.lost(…, 'kernel'). The kernel and host are
 * reached only through {@link LinuxOsApi} (the addon and the host facts), so all of this runs
 * against the fake of `@edrkit/linux/testing` without root.
 *
 * @module
 */
import { constants } from 'node:os';
import {
  AbortError,
  EdrkitError,
  PermissionError,
  probeError,
  type Backend,
  type BackendProbe,
  type BackendStartOptions,
  type BackendStats,
  type EventDraft,
  type EventFilter,
  type EventSink,
  type ObservableKind,
  type ProcessRef,
} from '@edrkit/core';
import { decodeBatch } from './decode/records.js';
import { CAPS, FILTER_FLAG, KIND_BIT, RAW_READ_BIT, SIGNAL_BIT } from './decode/layout.js';
import { Derivations } from './derive/derivations.js';
import { DERIVED_KINDS } from './derive/watch-list.js';
import { RecordConverter } from './events/to-events.js';
import type { LinuxAddonApi, LinuxHostApi, LinuxOsApi, NativeError, NativeHandle, NativeOpenOptions } from './native/addon-api.js';
import { requireBpfObject } from './native/load-addon.js';
import { PERMISSION_MESSAGE, probeLinuxEbpf, resolveLinuxOs } from './probe.js';
import { ProcessCache } from './proc/process-cache.js';
import { UserNames } from './proc/user-names.js';
import { findUprobeFiles, uprobeTargets } from './uprobe-targets.js';
import { parseLinuxOptions, type LinuxEbpfOptions } from './options.js';

export type { LinuxEbpfOptions } from './options.js';

/** Default kernel ring size: absorbs bursts of ~30000 exec records or ~50000 file records (variable-length, ~170 bytes each). */
export const DEFAULT_RING_BYTES = 8 << 20;

/** Program-name prefixes (edrkit.bpf.c) and the kinds that need them. */
const PROGRAM_GROUPS: Record<string, readonly ObservableKind[]> = {
  edrkit_proc_exec: ['process.exec'],
  edrkit_proc_fork: ['process.fork'],
  edrkit_proc_exit: ['process.exit'],
  // The open programs also find /proc/PID/mem opens (process.access / process.tamper).
  edrkit_file_: ['file.create', 'file.open', 'file.modify', 'file.delete', 'file.rename', 'file.attr', 'process.access', 'process.tamper'],
  edrkit_net_: ['net.connect', 'net.accept', 'net.listen'],
  edrkit_dns_: ['dns.query'],
  edrkit_kmod_: ['kmod.load'],
  edrkit_image_: ['image.load'],
  edrkit_access_: ['process.access', 'process.tamper'],
  edrkit_bpf_: ['bpf.load'],
  // part D: set*id, setgroups, capset
  edrkit_creds_: ['process.credentials'],
  // part B: close-after-write and rename/unlink/symlink signals of watched directories
  edrkit_cw_: [...DERIVED_KINDS],
  // part B: interactive bash lines (uretprobe on readline)
  edrkit_rl_: ['script.content'],
  // part B: libpam uprobes (logons)
  edrkit_pam_: ['auth.logon', 'auth.logoff', 'auth.failed'],
};

// The process cache needs exec/fork/exit records to stay exact, even when those kinds are not delivered.
const ALWAYS = KIND_BIT['process.exec'] | KIND_BIT['process.fork'] | KIND_BIT['process.exit'];

const ERRNO_NAMES = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

/** `EBADF` for 9: the name a user can search for. */
function errnoName(errno: number): string {
  return ERRNO_NAMES.get(errno) ?? 'unknown error';
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * The list as plain prefixes when every entry is one (no glob character, non-empty, and
 * encoding to the same bytes the kernel compares: no lone surrogate or U+FFFD, which the
 * decoder uses for bytes that are not UTF-8); undefined when any entry is a glob or odd.
 */
export function plainPrefixes(patterns: readonly string[] | undefined, maxBytes = Infinity): string[] | undefined {
  if (!patterns?.length) return undefined;
  for (const p of patterns) {
    if (typeof p !== 'string' || p.length === 0 || GLOB_CHARS.test(p) || p.includes('\uFFFD')) return undefined;
    const bytes = Buffer.from(p);
    if (bytes.toString() !== p || bytes.length > maxBytes) return undefined;
  }
  return [...patterns];
}

/** The in-kernel part of the filter (JS re-applies the whole filter anyway). */
export function kernelFilter(filter: EventFilter, selfPid: number) {
  const out: Pick<NativeOpenOptions, 'filterFlags' | 'selfTgid' | 'pidInclude' | 'pidExclude' | 'uidInclude' | 'uidExclude' | 'names' | 'exePrefixes'> = {
    filterFlags: 0,
    selfTgid: filter.includeSelf ? 0 : selfPid,
  };
  if (filter.pids?.length) {
    out.filterFlags |= FILTER_FLAG.PID_INCLUDE;
    out.pidInclude = [...filter.pids];
  }
  if (filter.excludePids?.length) {
    out.filterFlags |= FILTER_FLAG.PID_EXCLUDE;
    out.pidExclude = [...filter.excludePids];
  }
  if (filter.uids?.length) {
    out.filterFlags |= FILTER_FLAG.UID_INCLUDE;
    out.uidInclude = [...filter.uids];
  }
  if (filter.excludeUids?.length) {
    out.filterFlags |= FILTER_FLAG.UID_EXCLUDE;
    out.uidExclude = [...filter.excludeUids];
  }
  // Image basenames: exact names only (globs are left to JS); the kernel compares the first 15 bytes.
  if (filter.names?.length && filter.names.every((n) => typeof n === 'string' && n.length > 0 && !/[*?[\]{}/]/.test(n))) {
    out.filterFlags |= FILTER_FLAG.NAME_INCLUDE;
    out.names = filter.names.map((n) => Buffer.from(n).subarray(0, 15).toString());
  }
  // Image path prefixes: only when every entry is a plain prefix and they fit the kernel's
  // slots; with any glob (or too many / too long) the whole exe filter stays in JS.
  const exe = plainPrefixes(filter.exe, CAPS.EDRKIT_EXE_PREFIX_LEN - 1);
  if (exe && exe.length <= CAPS.EDRKIT_EXE_PREFIXES) {
    out.filterFlags |= FILTER_FLAG.EXE_PREFIX;
    out.exePrefixes = exe;
  }
  return out;
}

/** Whether every libpam probe attached (none of `edrkit_pam_*` failed). */
function pamAttached(failed: readonly { name: string }[]): boolean {
  return !failed.some((f) => f.name.startsWith('edrkit_pam_'));
}

/** The Linux eBPF backend (id `linux-ebpf`). */
export class LinuxEbpfBackend implements Backend {
  readonly id = 'linux-ebpf';
  readonly platform = 'linux' as const;

  private readonly os: { addon: () => LinuxAddonApi; host: LinuxHostApi };
  private addon: LinuxAddonApi | undefined;
  private started = false;
  private handle: NativeHandle | undefined;
  private sink: EventSink | undefined;
  private cache: ProcessCache | undefined;
  private converter: RecordConverter | undefined;
  private derivations: Derivations | undefined;
  private clockOffsetNs = 0;
  private lastDrops = 0;
  private coalescedAtStop = 0;
  private stopping: Promise<void> | undefined;
  // ringBytes: batch bytes from the addon; its framing (8-byte header, 8-byte alignment) is the
  // ring's own, so this is the kernel ring space the records took.
  private counters = { received: 0, lost: 0, malformed: 0, batches: 0, events: 0, ringBytes: 0 };
  private attachFailures: { name: string; errno: number; message: string }[] = [];
  private absent: string[] = [];
  private ids: { progs: number[]; maps: number[] } = { progs: [], maps: [] };

  /**
   * @param defaults - options used where `backendOptions` gives none.
   * @param os - the OS boundary: the real addon (loaded on first use) and host by default;
   *   tests pass the fake of `@edrkit/linux/testing`.
   */
  constructor(
    private readonly defaults: LinuxEbpfOptions = {},
    os: LinuxOsApi = {},
  ) {
    this.os = resolveLinuxOs(os);
  }

  /** See {@link probeLinuxEbpf}. */
  probe(): Promise<BackendProbe> {
    return probeLinuxEbpf({ ...(this.defaults.objectPath ? { objectPath: this.defaults.objectPath } : {}), os: this.os });
  }

  /** Programs that failed to attach at start (their kinds are missing). */
  get failedPrograms(): readonly { name: string; errno: number; message: string }[] {
    return this.attachFailures;
  }

  /** Syscall programs not loaded because this kernel has no such syscall (arm64: open, creat, ...); nothing is missed. */
  get absentPrograms(): readonly string[] {
    return this.absent;
  }

  /** Kernel ids of this backend's BPF programs and maps while started (empty before start). */
  get kernelIds(): { readonly progs: readonly number[]; readonly maps: readonly number[] } {
    return this.ids;
  }

  async start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    // Checked before the first await: two overlapping starts would otherwise both open.
    if (this.started || this.stopping) throw new EdrkitError('ERR_BACKEND_FAILED', 'linux-ebpf: start() called twice (or after stop()); create one backend per sensor');
    this.started = true;
    const opts = { ...this.defaults, ...parseLinuxOptions(options.backendOptions) };
    const { host } = this.os;
    const probe = await this.probe();
    // stop() or an abort during the probe: attach nothing, or the programs would stay loaded
    // with nobody left to close them.
    if (this.stopping || options.signal.aborted) throw new AbortError('linux-ebpf: stopped while starting; nothing was attached', { cause: options.signal.reason });
    // The same error openSensor throws for this probe (core's probeError).
    if (!probe.available) throw probeError(probe);
    // No objectPath: the addon opens the object embedded in it (nothing read from disk).
    const objectPath = opts.objectPath === undefined ? undefined : requireBpfObject(opts.objectPath, undefined, host.exists);
    const addon = this.os.addon();
    const kinds = new Set(options.kinds);
    let kindBits = ALWAYS;
    for (const k of kinds) kindBits |= (KIND_BIT as Record<string, number>)[k] ?? 0;
    // file.open left to the default: only block-device reads leave the kernel (raw access reads).
    const blockOpensOnly = options.fileOpen === 'block-devices';
    if (blockOpensOnly) kindBits = (kindBits & ~KIND_BIT['file.open']) | RAW_READ_BIT;
    // Hashes of files written: the kernel reports the writer's last close of every file it
    // opened for writing (probes-b.bpf.h), sent on as file.modify at close (docs/linux.md).
    const closeWriteAll = options.hashes === true && (kinds.has('file.create') || kinds.has('file.modify'));
    if (closeWriteAll) kindBits |= SIGNAL_BIT.CLOSE_WRITE_ALL;
    // libpam and bash are looked for where this distribution keeps them; a missing one's
    // probes are not loaded (logons then come from wtmp/btmp; bash lines are not covered).
    const uprobeFiles = findUprobeFiles(host.exists);
    const missingFile = (prefix: string) => (prefix === 'edrkit_pam_' && !uprobeFiles.pam) || (prefix === 'edrkit_rl_' && !uprobeFiles.bash);
    const disable = Object.entries(PROGRAM_GROUPS)
      .filter(([prefix, ks]) => missingFile(prefix) || (!prefix.startsWith('edrkit_proc_') && !(prefix === 'edrkit_cw_' && closeWriteAll) && !ks.some((k) => kinds.has(k))))
      .map(([prefix]) => prefix);

    this.addon = addon;
    this.sink = sink;
    this.clockOffsetNs = addon.clockOffsetNs();
    const toEpochMs = (bootNs: number) => (bootNs + this.clockOffsetNs) / 1e6;
    this.cache = new ProcessCache({ bootToEpochMs: toEpochMs, procRoot: host.procRoot, users: new UserNames({ path: host.passwdPath }), ...(opts.processCacheSize ? { max: opts.processCacheSize } : {}) });
    // filter.paths made only of plain prefixes: file records whose paths match none are
    // skipped before conversion (user space, see docs/linux.md); globs stay with the sensor.
    const pathPrefixes = plainPrefixes(options.filter.paths);
    this.converter = new RecordConverter(this.cache, kinds, toEpochMs, pathPrefixes, blockOpensOnly);
    this.cache.seedFromProc();
    const derivations = new Derivations(kinds, this.converter, this.cache, (err) => sink.warn(err));
    if (kinds.has('script.content')) kindBits |= SIGNAL_BIT.SHELL_LINE;
    const wantsAuth = kinds.has('auth.logon') || kinds.has('auth.logoff') || kinds.has('auth.failed');
    if (wantsAuth) kindBits |= SIGNAL_BIT.PAM;
    if (derivations.watched) {
      kindBits |= SIGNAL_BIT.CLOSE_WRITE;
      derivations.watched.snapshot();
    }
    this.derivations = derivations.active ? derivations : undefined;
    try {
      const result = addon.open({
        ...(objectPath === undefined ? {} : { objectPath }),
        kinds: kindBits,
        ringBytes: opts.ringBufferBytes ?? DEFAULT_RING_BYTES,
        ...(opts.coalesceMs ? { coalesceMs: opts.coalesceMs } : {}),
        disable,
        uprobeTargets: uprobeTargets(uprobeFiles),
        ...kernelFilter(options.filter, host.pid),
        ...(derivations.watched ? { watchDirInodes: derivations.watched.inodes() } : {}),
        onBatch: (batch, drops, err) => this.onBatch(batch, drops, err),
      });
      this.handle = result.handle;
      this.attachFailures = result.failed;
      this.absent = result.absent ?? [];
      this.ids = { progs: result.progIds, maps: result.mapIds };
    } catch (err) {
      const e = err as NativeError;
      if (e.code === 'EPERM') throw new PermissionError(`${PERMISSION_MESSAGE} (${e.message.split('\n')[0]})`, { cause: err });
      throw new EdrkitError('ERR_BACKEND_FAILED', `linux-ebpf failed at ${e.stage ?? 'open'}: ${e.message}`, { cause: err });
    }
    // libpam probed: logons from PAM; otherwise (no libpam found, or its probes failed) from wtmp/btmp.
    if (wantsAuth && uprobeFiles.pam && pamAttached(this.attachFailures)) derivations.usePam();
    for (const f of this.attachFailures) {
      sink.warn(new EdrkitError('ERR_NOT_SUPPORTED', `linux-ebpf: program ${f.name} did not attach (${f.message}); its events are missing on this kernel`));
    }
    options.signal.addEventListener('abort', () => void this.stop(), { once: true });
  }

  private onBatch(batch: ArrayBuffer, drops: number, err: number): void {
    if (this.stopping || !this.sink || !this.converter || !this.addon) return;
    this.counters.batches++;
    this.counters.ringBytes += batch.byteLength;
    this.clockOffsetNs = this.addon.clockOffsetNs(); // follows settimeofday/NTP steps
    const { records, errors } = decodeBatch(batch);
    this.counters.received += records.length + errors.length;
    this.counters.malformed += errors.length;
    // Malformed records are skipped (counted), not fatal: one warning per batch names the first.
    if (errors.length && errors[0]) {
      this.sink.warn(errors.length === 1 ? errors[0] : new EdrkitError('ERR_INVALID_RECORD', `${errors.length} malformed records skipped; first: ${errors[0].message}`, { cause: errors[0] }));
    }
    const events: EventDraft[] = [];
    this.cache?.refreshUsers(); // once per batch, not per event: at most a stat a second
    const derivations = this.derivations;
    for (const rec of records) {
      this.converter.convertInto(rec, events);
      derivations?.onRecord(rec, events);
    }
    derivations?.flush(events);
    this.counters.events += events.length;
    if (events.length) this.sink.push(events);
    if (drops > this.lastDrops) {
      const n = drops - this.lastDrops;
      this.lastDrops = drops;
      this.counters.lost += n;
      this.sink.lost(n, 'kernel ring buffer full (raise backendOptions.ringBufferBytes)', 'kernel');
    }
    // The addon's poll thread has ended: fatal, the sensor ends its stream and stops us.
    if (err) this.sink.error(new EdrkitError('ERR_BACKEND_FAILED', `linux-ebpf: polling the ring buffer failed: ${errnoName(-err)} (errno ${-err}); no further events arrive`));
  }

  /** Detach every program and free every map. Idempotent. */
  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    const handle = this.handle;
    this.handle = undefined;
    if (handle && this.addon) this.coalescedAtStop = this.addon.coalesced(handle); // the map goes with the handle
    // Detaching ~50 tracepoints waits for RCU grace periods (seconds): keep the event loop free.
    // Every caller waits for the same teardown, so "stopped" always means "nothing loaded".
    this.stopping = handle && this.addon ? this.addon.closeAsync(handle) : Promise.resolve();
    return this.stopping;
  }

  stats(): BackendStats {
    return {
      ...this.counters,
      dnsUnparsed: this.converter?.stats.dnsUnparsed ?? 0,
      relativePaths: this.converter?.stats.relativePaths ?? 0,
      pathFiltered: this.converter?.stats.pathFiltered ?? 0,
      selfMemOpens: this.converter?.selfMemOpens ?? 0,
      // Thread repeats of a reported credential change (glibc's setxid broadcast): folded, not lost.
      credentialRepeats: this.converter?.credentialRepeats ?? 0,
      processCache: this.cache?.size ?? 0,
      attachFailures: this.attachFailures.length,
      // Opens folded in the kernel (backendOptions.coalesceMs): accounted for, not lost.
      coalesced: this.handle && this.addon ? this.addon.coalesced(this.handle) : this.coalescedAtStop,
    };
  }

  /** Lineage lookup for the sensor's process table (cache, then /proc). */
  lookupProcess(pid: number): ProcessRef | undefined {
    if (this.cache) return this.cache.lookup(pid);
    // Before start: the addon's clock still converts the start time (an offset of 0 would give
    // a 1970 date); without a loadable addon the start time is left out rather than wrong.
    let offset: number | undefined;
    try {
      offset = (this.addon ?? this.os.addon()).clockOffsetNs();
    } catch {
      offset = undefined;
    }
    const ref = new ProcessCache({ bootToEpochMs: (ns) => (ns + (offset ?? 0)) / 1e6, procRoot: this.os.host.procRoot }).lookup(pid);
    if (ref && offset === undefined) delete ref.startTime;
    return ref;
  }
}
