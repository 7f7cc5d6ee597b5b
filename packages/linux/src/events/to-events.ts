/**
 * Turns decoded kernel records into edrkit v1 event drafts, filling `process` from the
 * {@link ProcessCache}. One record may give several events (an open that created a file is a
 * `file.create`, and also a `file.open` when that kind is on) or none (a kind not asked for).
 *
 * @module
 */
import type { EventDraft, ObservableKind, OpenFlag, Process } from '@edrkit/core';
import type { DecodedPath } from '../decode/paths.js';
import type { DecodedRecord, FileRecord, NetRecord, RecordHeader } from '../decode/records.js';
import { parseDnsQuestion } from '../decode/dns.js';
import { FILE_OP, FMODE_CREATED, NET_OP } from '../decode/layout.js';
import { containerIdFromCgroup } from '../proc/container.js';
import { joinArgs, type ProcessCache } from '../proc/process-cache.js';

const O_ACCMODE = 3;
const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_TRUNC = 0o1000;
const O_APPEND = 0o2000;
const O_DIRECTORY = 0o200000;

/** Portable words for open(2) flags. */
export function openFlags(flags: number): OpenFlag[] {
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

/** Counters the converter keeps. */
export interface ConverterStats {
  /** DNS records whose payload was not a parseable query. */
  dnsUnparsed: number;
  /** Paths that stayed relative (the base directory could not be resolved). */
  relativePaths: number;
}

/** Converts records to event drafts. */
export class RecordConverter {
  readonly stats: ConverterStats = { dnsUnparsed: 0, relativePaths: 0 };

  constructor(
    private readonly cache: ProcessCache,
    private readonly kinds: ReadonlySet<ObservableKind>,
    /** CLOCK_BOOTTIME ns -> ms since the epoch. */
    private readonly toEpochMs: (bootNs: number) => number,
  ) {}

  /** Events for one record (possibly none). */
  convert(rec: DecodedRecord): EventDraft[] {
    switch (rec.type) {
      case 'exec':
        return this.exec(rec);
      case 'fork': {
        const process = this.process(rec.h);
        const startTime = rec.childStartNs ? this.toEpochMs(rec.childStartNs) : undefined;
        this.cache.fork(rec.h.pid, rec.childPid, startTime);
        if (!this.kinds.has('process.fork')) return [];
        return [{ ...this.envelope(rec.h), kind: 'process.fork', process, child: { pid: rec.childPid, ...(startTime !== undefined ? { startTime } : {}) } }];
      }
      case 'exit': {
        const process = this.process(rec.h);
        this.cache.exited(rec.h.pid);
        if (!this.kinds.has('process.exit')) return [];
        const signal = rec.exitCode & 0x7f;
        const status = signal ? {} : { exitCode: (rec.exitCode >> 8) & 0xff };
        return [{ ...this.envelope(rec.h), kind: 'process.exit', process, ...status, ...(signal ? { signal } : {}) }];
      }
      case 'file':
        return this.file(rec);
      case 'net':
        return this.net(rec);
      case 'dns': {
        if (!this.kinds.has('dns.query')) return [];
        const q = parseDnsQuestion(rec.payload);
        if (!q) {
          this.stats.dnsUnparsed++;
          return [];
        }
        return [{
          ...this.envelope(rec.h, rec.raddr ? { server: rec.raddr, serverPort: rec.rport } : {}),
          kind: 'dns.query',
          process: this.process(rec.h),
          dns: { query: q.query, type: q.type },
        }];
      }
      case 'kmod': {
        if (!this.kinds.has('kmod.load')) return [];
        const path = this.path(rec.h, rec.path);
        const base = path.slice(path.lastIndexOf('/') + 1).replace(/\.ko(\.(xz|zst|gz))?$/, '');
        const name = rec.name || base.replace(/-/g, '_');
        return [{ ...this.envelope(rec.h), kind: 'kmod.load', process: this.process(rec.h), module: { name, ...(path ? { path } : {}) } }];
      }
    }
  }

  private envelope(h: RecordHeader, extra: Record<string, unknown> = {}) {
    return {
      time: this.toEpochMs(h.tsNs),
      platform: 'linux' as const,
      source: 'linux-ebpf' as const,
      raw: { linux: { cgroupId: h.cgroupId, comm: h.comm, ...extra } },
    };
  }

  /** The acting process: cache (or /proc), with the kernel's current ids and thread. */
  private process(h: RecordHeader): Process {
    const c = this.cache.get(h.pid);
    return {
      pid: h.pid,
      ppid: h.ppid,
      uid: h.uid,
      gid: h.gid,
      exe: c?.exe ?? '',
      args: c?.args ?? [],
      cmdline: c?.cmdline ?? '',
      ...(c?.cwd !== undefined ? { cwd: c.cwd } : {}),
      ...(h.startNs ? { startTime: this.toEpochMs(h.startNs) } : c?.startTime !== undefined ? { startTime: c.startTime } : {}),
      tid: h.tid,
      ...(c?.containerId ? { container: { id: c.containerId } } : {}),
    };
  }

  private exec(rec: Extract<DecodedRecord, { type: 'exec' }>): EventDraft[] {
    const { h } = rec;
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
      origin: 'exec',
    });
    if (!this.kinds.has('process.exec')) return [];
    const extra: Record<string, unknown> = rec.cgroup ? { cgroup: rec.cgroup } : {};
    if (rec.argsTruncated) extra.argsTruncated = true;
    if (rec.exe.truncated) extra.exeTruncated = true;
    return [{ ...this.envelope(h, extra), kind: 'process.exec', process: this.process(h) }];
  }

  /** Resolve what the kernel left relative against /proc/<pid>/cwd (racy; counted). */
  private path(h: RecordHeader, p: DecodedPath): string {
    if (!p.relative || p.path === '') return p.path;
    this.stats.relativePaths++;
    const cwd = this.cache.get(h.pid)?.cwd;
    return cwd ? `${cwd.replace(/\/$/, '')}/${p.path}` : p.path;
  }

  private file(rec: FileRecord): EventDraft[] {
    const { h } = rec;
    const out: EventDraft[] = [];
    const want = (k: ObservableKind) => this.kinds.has(k);
    const file = { path: rec.op === FILE_OP.MEMFD ? `memfd:${rec.path.path}` : this.path(h, rec.path) };
    const extra: Record<string, unknown> = {};
    if (rec.path.truncated) extra.pathTruncated = true;
    const base = () => ({ ...this.envelope(h, extra), process: this.process(h), file });
    switch (rec.op) {
      case FILE_OP.OPEN: {
        const created = (rec.fmode & FMODE_CREATED) !== 0;
        const writes = (rec.openFlags & (O_WRONLY | O_RDWR | O_TRUNC)) !== 0;
        if (created && want('file.create')) out.push({ ...base(), kind: 'file.create' });
        else if (!created && writes && want('file.modify')) out.push({ ...base(), kind: 'file.modify' });
        if (want('file.open')) out.push({ ...base(), kind: 'file.open', flags: openFlags(rec.openFlags) });
        break;
      }
      case FILE_OP.MKDIR:
        if (want('file.create')) out.push({ ...base(), kind: 'file.create' });
        break;
      case FILE_OP.MEMFD:
        extra.memfd = true;
        if (want('file.create')) out.push({ ...base(), kind: 'file.create' });
        break;
      case FILE_OP.TRUNCATE:
        if (want('file.modify')) out.push({ ...base(), kind: 'file.modify' });
        break;
      case FILE_OP.UNLINK:
      case FILE_OP.RMDIR:
        if (rec.op === FILE_OP.RMDIR) extra.directory = true;
        if (want('file.delete')) out.push({ ...base(), kind: 'file.delete' });
        break;
      case FILE_OP.RENAME:
        if (want('file.rename')) out.push({ ...base(), kind: 'file.rename', target: { path: this.path(h, rec.path2) } });
        break;
      case FILE_OP.CHMOD:
        if (want('file.attr')) out.push({ ...base(), kind: 'file.attr', mode: rec.mode & 0o7777 });
        break;
      case FILE_OP.CHOWN: {
        const owner = { ...(rec.ownerUid !== undefined ? { uid: rec.ownerUid } : {}), ...(rec.ownerGid !== undefined ? { gid: rec.ownerGid } : {}) };
        if (want('file.attr')) out.push({ ...base(), kind: 'file.attr', owner });
        break;
      }
      default:
        break;
    }
    return out;
  }

  private net(rec: NetRecord): EventDraft[] {
    const kind: ObservableKind = rec.op === NET_OP.CONNECT ? 'net.connect' : rec.op === NET_OP.ACCEPT ? 'net.accept' : 'net.listen';
    if (!this.kinds.has(kind)) return [];
    const any = rec.family === 'ipv4' ? '0.0.0.0' : '::';
    const listening = kind === 'net.listen';
    const net = {
      protocol: rec.protocol,
      family: rec.family,
      local: { ip: rec.laddr, port: rec.lport },
      remote: listening ? { ip: any, port: 0 } : { ip: rec.raddr, port: rec.rport },
    };
    const h = rec.h;
    return [{ ...this.envelope(h), kind, process: this.process(h), net } as EventDraft];
  }
}
