/**
 * Turns decoded kernel records into edrkit v1 event drafts, filling `process` from the
 * {@link ProcessCache}. One record may give several events (an open that created a file is a
 * `file.create`, and also a `file.open` when that kind is on) or none (a kind not asked for).
 *
 * This is the per-event hot path, so events are built as object literals of one shape per
 * kind (no spreads, no per-record closures), and the `process` and `raw` objects are shared
 * between events of the same process (see {@link ProcessViews}).
 *
 * @module
 */
import { OBSERVABLE_KINDS, type EventDraft, type FileRef, type ObservableKind, type OpenFlag } from '@edrkit/core';
import type { DecodedPath } from '../decode/paths.js';
import type { DecodedRecord, ExecRecord, FileRecord, NetRecord, RecordHeader } from '../decode/records.js';
import { parseDnsQuestion } from '../decode/dns.js';
import { CW_REASON, FILE_FLAG, FILE_OP, FMODE_CREATED, NET_OP } from '../decode/layout.js';
import { containerIdFromCgroup } from '../proc/container.js';
import { joinArgs, type ProcessCache } from '../proc/process-cache.js';
import { ProcessViews } from './process-views.js';
import { AccessConverter } from './to-events-a.js';
import { CredentialsConverter } from './to-events-d.js';
import { memfdFlags } from './memfd.js';

const O_ACCMODE = 3;
const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_TRUNC = 0o1000;
const O_APPEND = 0o2000;
/**
 * O_DIRECTORY is one of the few open(2) flags whose value differs between architectures: arm
 * and arm64 swap it with O_DIRECT (asm/fcntl.h), the others use the generic value. The records
 * carry the raw flags of the kernel the backend runs on, which is this process's CPU.
 */
const O_DIRECTORY_BY_ARCH: Partial<Record<NodeJS.Architecture, number>> = { arm: 0o40000, arm64: 0o40000 };
const O_DIRECTORY_GENERIC = 0o200000;

/** Portable words for open(2) flags, as the kernel of `arch` (this CPU by default) encodes them. */
export function openFlags(flags: number, arch: NodeJS.Architecture = process.arch): OpenFlag[] {
  const O_DIRECTORY = O_DIRECTORY_BY_ARCH[arch] ?? O_DIRECTORY_GENERIC;
  const out: OpenFlag[] = [];
  const acc = flags & O_ACCMODE;
  if (acc === 0 || acc === O_RDWR) out.push('read');
  if (acc === O_WRONLY || acc === O_RDWR) out.push('write');
  if (flags & O_CREAT) out.push('create');
  if (flags & O_TRUNC) out.push('truncate');
  if (flags & O_APPEND) out.push('append');
  if (flags & O_EXCL) out.push('exclusive');
  if (flags & O_DIRECTORY) out.push('directory');
  return out;
}

function startsWithAny(s: string, prefixes: readonly string[]): boolean {
  for (const p of prefixes) if (s.startsWith(p)) return true;
  return false;
}

/** Counters the converter keeps. */
export interface ConverterStats {
  /** DNS records whose payload was not a parseable query. */
  dnsUnparsed: number;
  /** Paths that stayed relative (the base directory could not be resolved). */
  relativePaths: number;
  /** File records skipped before conversion because no path matched a filter.paths prefix. */
  pathFiltered: number;
}

const PLATFORM = 'linux' as const;
const SOURCE = 'linux-ebpf' as const;

/** Converts records to event drafts. */
export class RecordConverter {
  readonly stats: ConverterStats = { dnsUnparsed: 0, relativePaths: 0, pathFiltered: 0 };
  private readonly views: ProcessViews;
  // One flag per kind, read on every record.
  private readonly want: Readonly<Record<ObservableKind, boolean>>;
  private readonly accessConverter: AccessConverter;
  private readonly credentialsConverter: CredentialsConverter;

  constructor(
    private readonly cache: ProcessCache,
    kinds: ReadonlySet<ObservableKind>,
    /** CLOCK_BOOTTIME ns -> ms since the epoch. */
    private readonly toEpochMs: (bootNs: number) => number,
    /**
     * filter.paths when it is only plain prefixes: a file record none of whose event paths
     * starts with one gives no event (the sensor's filter would drop it anyway).
     */
    private readonly pathPrefixes?: readonly string[],
    /** `file.open` only for block devices (the sensor's default, see `BackendStartOptions.fileOpen`). */
    private readonly blockOpensOnly = false,
  ) {
    this.views = new ProcessViews(cache, toEpochMs);
    const flags = {} as Record<ObservableKind, boolean>;
    for (const k of OBSERVABLE_KINDS) flags[k] = kinds.has(k);
    this.want = flags;
    this.accessConverter = new AccessConverter(cache, this.views, flags, toEpochMs);
    this.credentialsConverter = new CredentialsConverter(this.views, flags['process.credentials'], toEpochMs);
  }

  /** Thread repeats of a reported credential change (no event; see CredentialsConverter). */
  get credentialRepeats(): number {
    return this.credentialsConverter.folded;
  }

  /** /proc/PID/mem opens of the caller's own memory (no event). */
  get selfMemOpens(): number {
    return this.accessConverter.stats.selfMemOpens;
  }

  /** Events for one record (possibly none). */
  convert(rec: DecodedRecord): EventDraft[] {
    const out: EventDraft[] = [];
    this.convertInto(rec, out);
    return out;
  }

  /** Append the events for one record to `out` (no array per record). */
  convertInto(rec: DecodedRecord, out: EventDraft[]): void {
    switch (rec.type) {
      case 'exec':
        return this.exec(rec, out);
      case 'fork': {
        const h = rec.h;
        const process = this.views.process(h);
        const startTime = rec.childStartNs ? this.toEpochMs(rec.childStartNs) : undefined;
        this.cache.fork(h.pid, rec.childPid, startTime);
        if (!this.want['process.fork']) return;
        const child = startTime !== undefined ? { pid: rec.childPid, startTime } : { pid: rec.childPid };
        out.push({ kind: 'process.fork', time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process, raw: this.views.raw(h), child });
        return;
      }
      case 'exit': {
        const h = rec.h;
        const process = this.views.process(h);
        this.cache.exited(h.pid);
        this.credentialsConverter.forget(h.pid);
        if (!this.want['process.exit']) return;
        const signal = rec.exitCode & 0x7f;
        const time = this.toEpochMs(h.tsNs);
        const raw = this.views.raw(h);
        if (signal) out.push({ kind: 'process.exit', time, platform: PLATFORM, source: SOURCE, process, raw, signal });
        else out.push({ kind: 'process.exit', time, platform: PLATFORM, source: SOURCE, process, raw, exitCode: (rec.exitCode >> 8) & 0xff });
        return;
      }
      case 'file':
        return this.file(rec, out);
      case 'net':
        return this.net(rec, out);
      case 'dns': {
        if (!this.want['dns.query']) return;
        const q = parseDnsQuestion(rec.payload);
        if (!q) {
          this.stats.dnsUnparsed++;
          return;
        }
        const h = rec.h;
        const raw = rec.raddr ? this.rawWith(h, { server: rec.raddr, serverPort: rec.rport }) : this.views.raw(h);
        out.push({ kind: 'dns.query', time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process: this.views.process(h), raw, dns: { query: q.query, type: q.type } });
        return;
      }
      case 'kmod': {
        if (!this.want['kmod.load']) return;
        const h = rec.h;
        const path = this.path(h, rec.path);
        const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.ko(\.(xz|zst|gz))?$/, '');
        const module = path ? { name: base.replace(/-/g, '_'), path } : { name: '' };
        out.push({ kind: 'kmod.load', time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process: this.views.process(h), raw: this.views.raw(h), module });
        return;
      }
      case 'access':
        return this.accessConverter.access(rec, out);
      case 'bpf':
        return this.accessConverter.bpf(rec, out);
      case 'creds':
        return this.credentialsConverter.creds(rec, out);
      case 'close-write':
      case 'shell-line':
      case 'pam':
        return; // handled by the derivations (derive/)
      case 'image': {
        if (!this.want['image.load']) return;
        const h = rec.h;
        const raw = rec.path.truncated ? this.rawWith(h, { pathTruncated: true }) : this.views.raw(h);
        out.push({ kind: 'image.load', time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process: this.views.process(h), raw, image: { path: this.path(h, rec.path) } });
        return;
      }
    }
  }

  /** The envelope of an event derived from a record (derive/): time, process, raw. */
  envelope(h: RecordHeader): { time: number; platform: typeof PLATFORM; source: typeof SOURCE; process: ReturnType<ProcessViews['process']>; raw: ReturnType<ProcessViews['raw']> } {
    return { time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process: this.views.process(h), raw: this.views.raw(h) };
  }

  /** A record path made absolute (as the file events give it). */
  resolvePath(h: RecordHeader, p: DecodedPath): string {
    return this.path(h, p);
  }

  /** `raw` with record-specific extras: a fresh object (the shared one stays as it is). */
  private rawWith(h: RecordHeader, extra: Record<string, unknown>): { linux: Record<string, unknown> } {
    return { linux: { cgroupId: h.cgroupId, comm: h.comm, ...extra } };
  }

  private exec(rec: ExecRecord, out: EventDraft[]): void {
    const h = rec.h;
    this.credentialsConverter.forget(h.pid);
    const exe = rec.exe.path;
    const args = rec.args.length ? rec.args : [exe];
    const containerId = containerIdFromCgroup(rec.cgroup);
    const startTime = h.startNs ? this.toEpochMs(h.startNs) : undefined;
    this.cache.set({
      pid: h.pid,
      ppid: h.ppid,
      exe,
      args,
      cmdline: joinArgs(args),
      ...(rec.cwd.path && !rec.cwd.relative ? { cwd: rec.cwd.path } : {}),
      ...(startTime !== undefined ? { startTime } : {}),
      ...(containerId ? { containerId } : {}),
      ...(rec.fileless ? { fileless: true } : {}),
      origin: 'exec',
    });
    if (!this.want['process.exec']) return;
    const extra: Record<string, unknown> = rec.cgroup ? { cgroup: rec.cgroup } : {};
    if (rec.argsTruncated) extra.argsTruncated = true;
    if (rec.exe.truncated) extra.exeTruncated = true;
    out.push({ kind: 'process.exec', time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process: this.views.process(h), raw: this.rawWith(h, extra) });
  }

  /** Resolve what the kernel left relative against /proc/<pid>/cwd (racy; counted). */
  private path(h: RecordHeader, p: DecodedPath): string {
    if (!p.relative || p.path === '') return p.path;
    this.stats.relativePaths++;
    const cwd = this.cache.get(h.pid)?.cwd;
    return cwd ? `${cwd.replace(/\/$/, '')}/${p.path}` : p.path;
  }

  private file(rec: FileRecord, out: EventDraft[]): void {
    const h = rec.h;
    const want = this.want;
    const op = rec.op;
    // Which events this record gives, decided before anything is built.
    let kind: ObservableKind | undefined;
    let open = false;
    switch (op) {
      case FILE_OP.OPEN: {
        const created = (rec.fmode & FMODE_CREATED) !== 0;
        const writes = (rec.openFlags & (O_WRONLY | O_RDWR | O_TRUNC)) !== 0;
        if (created) kind = want['file.create'] ? 'file.create' : undefined;
        else if (writes) kind = want['file.modify'] ? 'file.modify' : undefined;
        open = want['file.open'] && (!this.blockOpensOnly || (rec.h.flags & FILE_FLAG.BLOCKDEV) !== 0);
        break;
      }
      case FILE_OP.MKDIR:
      case FILE_OP.MEMFD:
        kind = want['file.create'] ? 'file.create' : undefined;
        break;
      case FILE_OP.TRUNCATE:
      case FILE_OP.CLOSE_WRITE: // the writer is done: file.modify at close (hashed by the sensor's stage)
        kind = want['file.modify'] ? 'file.modify' : undefined;
        break;
      case FILE_OP.UNLINK:
      case FILE_OP.RMDIR:
        kind = want['file.delete'] ? 'file.delete' : undefined;
        break;
      case FILE_OP.RENAME:
        kind = want['file.rename'] ? 'file.rename' : undefined;
        break;
      case FILE_OP.CHMOD:
      case FILE_OP.CHOWN:
        kind = want['file.attr'] ? 'file.attr' : undefined;
        break;
      default:
        return;
    }
    if (!kind && !open) return;
    // process first: on a cache miss it reads /proc, which gives path() the cwd of a relative path.
    const process = this.views.process(h);
    // A memfd is named as the kernel shows it in /proc/PID/fd and maps: /memfd:<name>.
    const file: FileRef = op === FILE_OP.MEMFD ? { path: `/memfd:${rec.path.path}`, memfd: true } : { path: this.path(h, rec.path) };
    if (op === FILE_OP.OPEN && rec.h.flags & FILE_FLAG.BLOCKDEV) file.type = 'block';
    let target: { path: string } | undefined;
    if (kind === 'file.rename') target = { path: this.path(h, rec.path2) };
    const prefixes = this.pathPrefixes;
    // The same paths and test as the sensor's filter (rename: old or new path), before the
    // event objects are built and handed to the sensor.
    if (prefixes && !startsWithAny(file.path, prefixes) && !(target && startsWithAny(target.path, prefixes))) {
      this.stats.pathFiltered++;
      return;
    }
    const time = this.toEpochMs(h.tsNs);
    let raw: { linux: Record<string, unknown> };
    if (rec.path.truncated || op === FILE_OP.MEMFD || op === FILE_OP.RMDIR || op === FILE_OP.CLOSE_WRITE || rec.repeat) {
      const extra: Record<string, unknown> = {};
      if (op === FILE_OP.CLOSE_WRITE) extra.closeWrite = rec.ret === CW_REASON.EXIT ? 'exit' : 'close';
      if (rec.path.truncated) extra.pathTruncated = true;
      if (rec.repeat) extra.repeat = rec.repeat;
      if (op === FILE_OP.MEMFD) extra.memfdFlags = memfdFlags(rec.openFlags);
      if (op === FILE_OP.RMDIR) extra.directory = true;
      raw = this.rawWith(h, extra);
    } else {
      raw = this.views.raw(h);
    }
    switch (kind) {
      case 'file.rename':
        out.push({ kind, time, platform: PLATFORM, source: SOURCE, process, raw, file, target: target ?? { path: this.path(h, rec.path2) } });
        break;
      case 'file.attr':
        if (op === FILE_OP.CHMOD) out.push({ kind, time, platform: PLATFORM, source: SOURCE, process, raw, file, mode: rec.mode & 0o7777 });
        else {
          const owner: { uid?: number; gid?: number } = {};
          if (rec.ownerUid !== undefined) owner.uid = rec.ownerUid;
          if (rec.ownerGid !== undefined) owner.gid = rec.ownerGid;
          out.push({ kind, time, platform: PLATFORM, source: SOURCE, process, raw, file, owner });
        }
        break;
      case 'file.create':
      case 'file.modify':
      case 'file.delete':
        out.push({ kind, time, platform: PLATFORM, source: SOURCE, process, raw, file });
        break;
      default:
        break;
    }
    if (open) out.push({ kind: 'file.open', time, platform: PLATFORM, source: SOURCE, process, raw, file, flags: openFlags(rec.openFlags) });
  }

  private net(rec: NetRecord, out: EventDraft[]): void {
    const kind = rec.op === NET_OP.CONNECT ? 'net.connect' : rec.op === NET_OP.ACCEPT ? 'net.accept' : 'net.listen';
    if (!this.want[kind]) return;
    const listening = kind === 'net.listen';
    const net = {
      protocol: rec.protocol,
      family: rec.family,
      local: { ip: rec.laddr, port: rec.lport },
      remote: listening ? { ip: rec.family === 'ipv4' ? '0.0.0.0' : '::', port: 0 } : { ip: rec.raddr, port: rec.rport },
    };
    const h = rec.h;
    out.push({ kind, time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process: this.views.process(h), raw: this.views.raw(h), net });
  }
}
