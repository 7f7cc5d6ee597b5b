/**
 * `es_process_t` as eslogger writes it → the edrkit process object. The pid and the uid/gid
 * come from the audit token (the ids the kernel checked, not a later lookup), the image from
 * `executable.path`, the code-signing identity from `signing_id`, `team_id`,
 * `is_platform_binary` and `cdhash`. Arguments and the working directory are in exec events
 * only; for later events of the same process they come from {@link ProcessArgsCache}.
 *
 * @module
 */
import type { Process, Signer } from '@edrkit/core';
import { auditTokenAt, type AuditToken } from './audit-token.js';
import { isoTime, join, obj, optBool, optStr, optUint, str, type Json } from './json-read.js';

/** What the decoder knows of a process beyond its `es_process_t`: its argv and cwd from exec. */
export interface ProcessArgs {
  args: string[];
  cwd?: string;
}

/**
 * Arguments of recently exec'd processes, keyed by (pid, pidversion): pidversion changes on
 * every exec, so an entry never names another image. Bounded (oldest out first).
 */
export class ProcessArgsCache {
  private readonly entries = new Map<string, ProcessArgs>();
  constructor(private readonly capacity = 4096) {}
  get(token: AuditToken): ProcessArgs | undefined {
    return this.entries.get(`${token.pid}:${token.pidversion}`);
  }
  set(token: AuditToken, value: ProcessArgs): void {
    const key = `${token.pid}:${token.pidversion}`;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }
  delete(token: AuditToken): void {
    this.entries.delete(`${token.pid}:${token.pidversion}`);
  }
}

/** The code-signing identity of an `es_process_t`, when it has a signing id. */
export function readSigner(p: Json, path: string): Signer | undefined {
  const id = optStr(p, 'signing_id', path);
  if (!id) return undefined;
  const teamId = optStr(p, 'team_id', path);
  const platformBinary = optBool(p, 'is_platform_binary', path);
  const cdhash = optStr(p, 'cdhash', path);
  return {
    id,
    ...(teamId ? { teamId } : {}),
    ...(platformBinary !== undefined ? { platformBinary } : {}),
    // All zeros is what ES reports for a process without a code directory.
    ...(cdhash && /^[0-9a-fA-F]{40}$/.test(cdhash) && !/^0+$/.test(cdhash) ? { cdhash: cdhash.toLowerCase() } : {}),
  };
}

/** The image path of an `es_process_t`. */
export function executablePath(p: Json, path: string): string {
  return str(obj(p, 'executable', path), 'path', join(path, 'executable'));
}

/** One `es_process_t` read: the edrkit process and its audit token. */
export interface ReadProcess {
  process: Process;
  token: AuditToken;
  /** The responsible process (`responsible_audit_token.pid`), where given. */
  responsiblePid?: number;
}

/** Map an `es_process_t` at `path`. `tid` is the message's thread, for the acting process. */
export function readProcess(p: Json, path: string, extra: { args?: ProcessArgs; tid?: number } = {}): ReadProcess {
  const token = auditTokenAt(p, 'audit_token', path);
  const exe = executablePath(p, path);
  const ppid = optUint(p, 'ppid', path) ?? 0;
  const signer = readSigner(p, path);
  const startTime = p['start_time'] === undefined || p['start_time'] === null ? undefined : isoTime(p, 'start_time', path);
  const args = extra.args?.args ?? [];
  const process: Process = {
    pid: token.pid,
    ppid,
    uid: token.euid,
    gid: token.egid,
    exe,
    args,
    cmdline: args.join(' '),
    ...(extra.args?.cwd !== undefined ? { cwd: extra.args.cwd } : {}),
    ...(startTime !== undefined ? { startTime } : {}),
    ...(extra.tid !== undefined ? { tid: extra.tid } : {}),
    ...(signer ? { signer } : {}),
  };
  const responsible = p['responsible_audit_token'];
  const responsiblePid = responsible === undefined || responsible === null ? undefined : auditTokenAt(p, 'responsible_audit_token', path).pid;
  return { process, token, ...(responsiblePid !== undefined ? { responsiblePid } : {}) };
}
