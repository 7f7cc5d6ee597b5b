/**
 * `account.*`, `task.*` and `service.*` derived from writes to watched system files. The
 * kernel says when a writer is done (the close-after-write record of a file in a watched
 * directory) and when a file is renamed into place, deleted or linked (file records); this
 * class then re-reads that file, compares it with what it read before (at start, or at the
 * previous signal) and names the change. A file that cannot be read or parsed gives a
 * warning that names it ({@link WatchedFileError}), never an exception.
 *
 * Signals are collected per batch and handled at its end, so the several renames of one
 * `useradd` that arrive together are compared once.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { EventDraft, ObservableKind, Service, Task } from '@edrkit/core';
import { FILE_OP } from '../decode/layout.js';
import type { DecodedRecord, RecordHeader } from '../decode/records.js';
import { accountsFrom, diffAccounts, type AccountEntry } from './accounts.js';
import { LogonLog } from './logon-log.js';
import { WatchedFileError } from './errors.js';
import { fileFacts, isFactFile, startTypeOfLink, type FileFacts } from './file-facts.js';
import { DERIVED_KINDS, listDir, TEMP_NAME, watchList, type WatchedDir } from './watch-list.js';

/** Largest watched file read (bytes); the rest is ignored, with a warning. */
export const MAX_WATCHED_FILE = 1 << 20;

/** The envelope of a derived event: the process that did it, from the signal's record. */
export type EnvelopeOf = (h: RecordHeader) => Pick<Extract<EventDraft, { kind: 'account.create' }>, 'time' | 'platform' | 'source' | 'process' | 'raw'>;

const ACCOUNT_FILES = new Set(['passwd', 'shadow', 'group']);

/** Derives account, task and service events from watched files. */
export class WatchedFiles {
  readonly dirs: readonly WatchedDir[];
  private readonly byPath = new Map<string, WatchedDir>();
  private readonly byIno = new Map<number, WatchedDir>();
  private accounts: Map<string, AccountEntry> | undefined;
  private readonly facts = new Map<string, FileFacts>();
  private readonly pending = new Map<string, { h: RecordHeader; linked?: boolean }>();
  private readonly want: (k: ObservableKind) => boolean;
  private logons: LogonLog | undefined;

  /**
   * @param kinds - the kinds asked for (only derived ones matter).
   * @param warn - where problems with a watched file go (the sink's warn).
   * @param root - prefix for every path read (tests); '' on a real host.
   */
  constructor(
    kinds: ReadonlySet<ObservableKind>,
    private readonly warn: (err: Error) => void,
    private readonly root = '',
  ) {
    this.want = (k) => kinds.has(k);
    this.logons = kinds.has('auth.logon') || kinds.has('auth.logoff') || kinds.has('auth.failed') ? new LogonLog(kinds, root) : undefined;
    this.dirs = watchList(this.read('/etc/passwd') ?? '', root);
    for (const d of this.dirs) {
      this.byPath.set(d.path, d);
      if (d.ino !== undefined) this.byIno.set(d.ino, d);
    }
  }

  /** Whether any kind in `kinds` is derived here. */
  static wanted(kinds: ReadonlySet<ObservableKind>): boolean {
    for (const k of kinds) if (DERIVED_KINDS.has(k)) return true;
    return false;
  }

  /** Stop deriving logons from wtmp/btmp (the libpam probes give them). */
  disableLogonLog(): void {
    this.logons = undefined;
  }

  /** Inode numbers of the watched directories that exist (for the kernel filter). */
  inodes(): number[] {
    return this.dirs.flatMap((d) => (d.ino !== undefined ? [d.ino] : []));
  }

  /** Read the state every later change is compared with. */
  snapshot(): void {
    if (this.wantsAccounts()) this.accounts = this.readAccounts();
    this.logons?.snapshot();
    for (const d of this.dirs) {
      if (d.ino === undefined || !this.wantsSource(d)) continue;
      for (const name of listDir(this.root + d.path)) {
        if (TEMP_NAME.test(name) || !isFactFile(d.source, name)) continue;
        const file = `${d.path}/${name}`;
        const f = this.readFacts(d, file, false);
        if (f) this.facts.set(file, f);
      }
    }
  }

  /** Note a record that may signal a change (handled by {@link flush}). `resolve` makes a record path absolute. */
  signal(rec: DecodedRecord, resolve: (h: RecordHeader, which: 'path' | 'path2') => string): void {
    if (rec.type === 'close-write') {
      const d = this.byIno.get(rec.dirIno);
      if (d && rec.name) this.note(`${d.path}/${rec.name}`, rec.h);
      return;
    }
    if (rec.type !== 'file') return;
    const op = rec.op;
    if (op === FILE_OP.RENAME) {
      this.note(resolve(rec.h, 'path'), rec.h);
      this.note(resolve(rec.h, 'path2'), rec.h);
    } else if (op === FILE_OP.UNLINK || op === FILE_OP.SYMLINK) {
      this.note(resolve(rec.h, 'path'), rec.h, op === FILE_OP.SYMLINK);
    }
  }

  private note(file: string, h: RecordHeader, linked?: boolean): void {
    if (!file.startsWith('/')) return;
    const dir = path.posix.dirname(file);
    if (this.byPath.has(dir)) this.pending.set(file, { h });
    else if (this.isLinkDir(dir)) this.pending.set(file, linked === undefined ? { h } : { h, linked });
  }

  /** A `<unit dir>/<target>.wants` (or `.requires`) directory: enablement links. */
  private isLinkDir(dir: string): boolean {
    return /\.(wants|requires)$/.test(dir) && this.byPath.get(path.posix.dirname(dir))?.source === 'units';
  }

  /** Handle the signals noted since the last flush: append the derived events to `out`. */
  flush(envelope: EnvelopeOf, out: EventDraft[]): void {
    if (!this.pending.size) return;
    const pending = [...this.pending];
    this.pending.clear();
    let accountsHeader: RecordHeader | undefined;
    for (const [file, { h, linked }] of pending) {
      const dir = path.posix.dirname(file);
      const name = path.posix.basename(file);
      if (TEMP_NAME.test(name)) continue;
      const d = this.byPath.get(dir);
      if (!d) {
        this.link(file, h, linked, envelope, out);
        continue;
      }
      if (d.source === 'logs') {
        this.logons?.changed(file, envelope(h), out);
        continue;
      }
      if (d.source === 'etc' && ACCOUNT_FILES.has(name)) {
        accountsHeader = h;
        continue;
      }
      if (!isFactFile(d.source, name) || !this.wantsSource(d)) continue;
      const before = this.facts.get(file);
      const after = this.readFacts(d, file, true);
      if (after) this.facts.set(file, after);
      else this.facts.delete(file);
      this.diffFile(before, after, envelope(h), out);
    }
    if (accountsHeader && this.accounts) {
      const after = this.readAccounts();
      const base = envelope(accountsHeader);
      for (const c of diffAccounts(this.accounts, after)) if (this.want(c.kind)) out.push({ kind: c.kind, ...base, account: c.account } as EventDraft);
      this.accounts = after;
    }
  }

  private diffFile(before: FileFacts | undefined, after: FileFacts | undefined, base: ReturnType<EnvelopeOf>, out: EventDraft[]): void {
    const push = (kind: ObservableKind, payload: { task: Task } | { service: Service }) => {
      if (this.want(kind)) out.push({ kind, ...base, ...payload } as EventDraft);
    };
    // Tasks: keyed by user and command; the same command on a new schedule is a modify.
    const key = (t: Task) => `${t.user ?? ''}\0${t.command ?? ''}`;
    const old = new Map((before?.tasks ?? []).map((t) => [key(t), t]));
    const now = new Map((after?.tasks ?? []).map((t) => [key(t), t]));
    for (const [k, t] of now) {
      const o = old.get(k);
      if (!o) push('task.create', { task: t });
      else if (o.schedule !== t.schedule) push('task.modify', { task: t });
    }
    for (const [k, t] of old) if (!now.has(k)) push('task.delete', { task: t });
    const os = new Map((before?.services ?? []).map((s) => [s.name, s]));
    const ns = new Map((after?.services ?? []).map((s) => [s.name, s]));
    for (const [n, s] of ns) {
      const o = os.get(n);
      if (!o) push('service.create', { service: s });
      else if (o.command !== s.command || o.user !== s.user) push('service.modify', { service: s });
    }
    for (const [n, s] of os) if (!ns.has(n)) push('service.delete', { service: s });
  }

  /** An enablement link made or removed: `service.modify` with the start type it gives. */
  private link(file: string, h: RecordHeader, linked: boolean | undefined, envelope: EnvelopeOf, out: EventDraft[]): void {
    const name = path.posix.basename(file);
    if (!name.endsWith('.service') || !this.want('service.modify')) return;
    let target: string | undefined;
    try {
      target = realpathSync(this.root + file).slice(this.root.length);
    } catch {
      target = undefined; // already removed again
    }
    // The record says what happened (a rename into a .wants/ directory counts as a link made).
    const enabled = linked ?? target !== undefined;
    const known = [...this.facts.values()].flatMap((f) => f.services).find((s) => s.name === name && (!target || s.path === target));
    const service: Service = { name, path: target ?? known?.path ?? file, startType: enabled ? startTypeOfLink(path.posix.dirname(file)) : 'manual' };
    if (known?.command) service.command = known.command;
    if (known?.user) service.user = known.user;
    out.push({ kind: 'service.modify', ...envelope(h), service } as EventDraft);
  }

  private wantsAccounts(): boolean {
    return this.want('account.create') || this.want('account.modify') || this.want('account.delete');
  }

  private wantsSource(d: WatchedDir): boolean {
    const tasks = this.want('task.create') || this.want('task.modify') || this.want('task.delete');
    const services = this.want('service.create') || this.want('service.modify') || this.want('service.delete');
    if (d.source === 'units') return tasks || services;
    if (d.source === 'sysv') return services;
    if (d.source === 'logs') return this.logons !== undefined;
    return tasks;
  }

  private readAccounts(): Map<string, AccountEntry> {
    const passwd = this.read('/etc/passwd', true);
    if (passwd === undefined) return this.accounts ?? new Map();
    const { accounts, problems } = accountsFrom(passwd, this.read('/etc/shadow'), this.read('/etc/group'));
    const first = problems[0];
    if (first) this.warn(new WatchedFileError(`/etc/${first.file}`, `${first.problem}${problems.length > 1 ? ` (and ${problems.length - 1} more lines)` : ''}; those lines are ignored`, first.line));
    return accounts;
  }

  private readFacts(d: WatchedDir, file: string, report: boolean): FileFacts | undefined {
    const text = this.read(file, report);
    if (text === undefined) return undefined;
    const facts = fileFacts(d.source, file, text);
    const first = facts.problems[0];
    if (first && report) this.warn(new WatchedFileError(file, `${first.problem}${facts.problems.length > 1 ? ` (and ${facts.problems.length - 1} more lines)` : ''}; those lines are ignored`, first.line));
    return facts;
  }

  /** The file's text (at most MAX_WATCHED_FILE bytes), or undefined when it is gone. */
  private read(file: string, report = false): string | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(this.root + file, 'r');
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(Math.max(size, 4096), MAX_WATCHED_FILE));
      let n = 0;
      for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
      if (size > MAX_WATCHED_FILE && report) this.warn(new WatchedFileError(file, `larger than ${MAX_WATCHED_FILE} bytes; only the first ${MAX_WATCHED_FILE} were read`));
      return buf.toString('utf8', 0, n);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (report && code !== 'ENOENT' && code !== 'ENOTDIR') this.warn(new WatchedFileError(file, `cannot be read (${code ?? (err as Error).message})`));
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
