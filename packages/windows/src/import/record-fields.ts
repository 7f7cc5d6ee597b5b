/**
 * Reading the fields of a {@link WindowsRecord}: strings, ids, times, and the pieces every
 * mapper builds (the acting process, the envelope with `raw.windows`).
 *
 * @module
 */
import type { Process } from '@edrkit/core';
import { splitCommandLine } from './command-line.js';
import { parseWindowsTime, toInt, WindowsRecordError, type WindowsRecord } from './windows-record.js';

/** A text field; `undefined` when absent, empty, or the `-` Windows logs write for "none". */
export function text(r: WindowsRecord, name: string): string | undefined {
  const v = r.data[name];
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') return undefined;
  return v === '' || v === '-' ? undefined : v;
}

/** An id field (decimal, or `0x` hex as the Security log writes pids); throws when present but not a non-negative integer. */
export function id(r: WindowsRecord, name: string): number | undefined {
  const v = r.data[name];
  if (v === undefined || v === null || v === '' || v === '-') return undefined;
  const n = toInt(v);
  if (n === undefined || n < 0) throw new WindowsRecordError(`${r.provider} ${r.eventId}: ${name} ${JSON.stringify(v)} is not a non-negative integer`);
  return n;
}

/** An id field that must be present. */
export function requiredId(r: WindowsRecord, name: string): number {
  const n = id(r, name);
  if (n === undefined) throw new WindowsRecordError(`${r.provider} ${r.eventId}: ${name} is missing`);
  return n;
}

/** A text field that must be present. */
export function requiredText(r: WindowsRecord, name: string): string {
  const s = text(r, name);
  if (s === undefined) throw new WindowsRecordError(`${r.provider} ${r.eventId}: ${name} is missing`);
  return s;
}

/** A `true`/`false` field (Sysmon writes them as text). */
export function bool(r: WindowsRecord, name: string): boolean | undefined {
  const v = r.data[name];
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (/^true$/i.test(v)) return true;
    if (/^false$/i.test(v)) return false;
  }
  return undefined;
}

/** A port field, 0-65535; throws when present and out of range. */
export function port(r: WindowsRecord, name: string): number {
  const n = id(r, name) ?? 0;
  if (n > 65535) throw new WindowsRecordError(`${r.provider} ${r.eventId}: ${name} ${n} is not a port`);
  return n;
}

/** The event time: Sysmon's own `UtcTime` (when it happened) where present, else when the record was written. */
export function eventTime(r: WindowsRecord): number {
  return parseWindowsTime(r.data['UtcTime']) ?? r.time;
}

/** The fields of a process as one record names them. */
export interface ProcessFields {
  pid?: number;
  ppid?: number;
  exe?: string;
  cmdline?: string;
  user?: string;
  sid?: string;
  cwd?: string;
  tid?: number;
  startTime?: number;
}

/**
 * The acting process. Records that do not name one (driver loads, WMI subscriptions, logoffs)
 * get the process that wrote the record (System/Execution) with `exe: ''`: the model's "the OS
 * gives none". A missing `ppid` is 0 — the record does not carry it, and lineage cannot be
 * resolved from a log — and the original fields stay in `raw.windows`.
 */
export function processOf(r: WindowsRecord, f: ProcessFields): Process {
  const cmdline = f.cmdline ?? '';
  return {
    pid: f.pid ?? r.writerPid ?? 0,
    ppid: f.ppid ?? 0,
    exe: f.exe ?? '',
    args: cmdline ? splitCommandLine(cmdline) : f.exe ? [f.exe] : [],
    cmdline,
    ...(f.user !== undefined ? { user: f.user } : {}),
    ...(f.sid !== undefined ? { sid: f.sid } : {}),
    ...(f.cwd !== undefined ? { cwd: f.cwd } : {}),
    ...(f.tid !== undefined ? { tid: f.tid } : {}),
    ...(f.startTime !== undefined ? { startTime: f.startTime } : {}),
  };
}

/** `DOMAIN\user` from a Security event's `<prefix>DomainName` / `<prefix>UserName`. */
export function accountName(r: WindowsRecord, prefix: string): string | undefined {
  const user = text(r, `${prefix}UserName`);
  if (user === undefined) return undefined;
  const domain = text(r, `${prefix}DomainName`);
  return domain ? `${domain}\\${user}` : user;
}

/**
 * The envelope of every imported event. `raw.windows` keeps the record as the log wrote it —
 * every EventData field under its own name, so Sigma rules read Sysmon- and Security-specific
 * fields directly — plus `eventId`, `provider`, `channel`, `computer`, `recordId`.
 */
export function envelope(r: WindowsRecord) {
  return {
    time: eventTime(r),
    platform: 'windows' as const,
    source: 'replay',
    raw: {
      windows: {
        ...r.data,
        eventId: r.eventId,
        provider: r.provider,
        channel: r.channel,
        ...(r.computer !== undefined ? { computer: r.computer } : {}),
        ...(r.recordId !== undefined ? { recordId: r.recordId } : {}),
        ...(r.version !== undefined ? { version: r.version } : {}),
      },
    },
  };
}

/** The last `\`-separated component of a path or key, and what is before it. */
export function splitLast(path: string): { dir: string; name: string } {
  const i = path.lastIndexOf('\\');
  return i < 0 ? { dir: '', name: path } : { dir: path.slice(0, i), name: path.slice(i + 1) };
}
