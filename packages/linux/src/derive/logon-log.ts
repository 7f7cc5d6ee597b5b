/**
 * `auth.logon` / `.logoff` / `.failed` from the login records programs append to
 * /var/log/wtmp and /var/log/btmp (sshd, login, …), read when the writer closes the file.
 * Only what was appended since the last read (or since start) is decoded; a file that
 * shrank (rotated) is read from its start. This is the fallback of docs/linux.md: it sees
 * what the logon program records, not PAM itself (no service name beyond the writer's image,
 * and no failed logon a program does not write to btmp).
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { Auth, EventDraft, ObservableKind } from '@edrkit/core';
import { decodeUtmp, UT, UTMP_SIZE, type UtmpRecord } from './utmp.js';

/** The login record files, by name in /var/log. */
export const LOGON_FILES = { wtmp: '/var/log/wtmp', btmp: '/var/log/btmp' } as const;

/** Most bytes read per signal (the rest waits for the next one). */
const MAX_READ = 1 << 20;

type Envelope = Pick<Extract<EventDraft, { kind: 'auth.logon' }>, 'time' | 'platform' | 'source' | 'process' | 'raw'>;

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:.]*)$/;

/** Logon events from wtmp/btmp appends. */
export class LogonLog {
  private readonly offsets = new Map<string, number>();
  // The user of each open session, by terminal line: logout records leave ut_user blank.
  private readonly lineUsers = new Map<string, string>();

  constructor(
    private readonly kinds: ReadonlySet<ObservableKind>,
    private readonly root = '',
  ) {}

  /** Remember where each file ends now: only later records are reported. */
  snapshot(): void {
    for (const f of Object.values(LOGON_FILES)) this.offsets.set(f, this.size(f));
  }

  /** `file` was written: report its new records. */
  changed(file: string, base: Envelope, out: EventDraft[]): void {
    const name = path.posix.basename(file);
    if (name !== 'wtmp' && name !== 'btmp') return;
    for (const r of this.readNew(file)) {
      const e = name === 'btmp' ? this.failed(r) : this.fromWtmp(r);
      if (e && this.kinds.has(e.kind)) out.push({ kind: e.kind, ...base, auth: this.withMethod(e.auth, base) });
    }
  }

  private withMethod(auth: Omit<Auth, 'method'>, base: Envelope): Auth {
    // The program that recorded the logon (sshd, login): the portable `method` word.
    const method = base.process.exe ? path.posix.basename(base.process.exe) : 'unknown';
    return { ...auth, method } as Auth;
  }

  private common(r: UtmpRecord, user: string): Omit<Auth, 'method'> {
    const a: Omit<Auth, 'method'> = { user };
    if (r.line && r.line !== 'ssh:notty') a.terminal = r.line;
    const ip = r.addr ?? (IP.test(r.host) ? r.host : undefined);
    if (ip) a.remote = { ip };
    if (r.session > 0) a.session = String(r.session);
    return a;
  }

  private fromWtmp(r: UtmpRecord): { kind: 'auth.logon' | 'auth.logoff'; auth: Omit<Auth, 'method'> } | undefined {
    if (r.type === UT.USER_PROCESS && r.user) {
      if (r.line) this.lineUsers.set(r.line, r.user);
      return { kind: 'auth.logon', auth: this.common(r, r.user) };
    }
    if (r.type === UT.DEAD_PROCESS && r.line) {
      const user = r.user || this.lineUsers.get(r.line);
      this.lineUsers.delete(r.line);
      if (user) return { kind: 'auth.logoff', auth: this.common(r, user) };
    }
    return undefined;
  }

  private failed(r: UtmpRecord): { kind: 'auth.failed'; auth: Omit<Auth, 'method'> } | undefined {
    if (!r.user) return undefined;
    return { kind: 'auth.failed', auth: { ...this.common(r, r.user), reason: 'authentication failed (recorded in btmp)' } };
  }

  private size(file: string): number {
    try {
      const fd = openSync(this.root + file, 'r');
      try {
        return fstatSync(fd).size;
      } finally {
        closeSync(fd);
      }
    } catch {
      return 0;
    }
  }

  private readNew(file: string): UtmpRecord[] {
    let fd: number | undefined;
    try {
      fd = openSync(this.root + file, 'r');
      const size = fstatSync(fd).size;
      let from = this.offsets.get(file) ?? 0;
      if (size < from) from = 0; // rotated or truncated
      from -= from % UTMP_SIZE;
      const n = Math.min(size - from, MAX_READ) - (Math.min(size - from, MAX_READ) % UTMP_SIZE);
      const buf = Buffer.alloc(n);
      let got = 0;
      for (let r; got < n && (r = readSync(fd, buf, got, n - got, from + got)) > 0; ) got += r;
      this.offsets.set(file, from + got - (got % UTMP_SIZE));
      return decodeUtmp(buf.subarray(0, got));
    } catch {
      return [];
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}
