/**
 * eslogger messages written for the tests (not captured): the shape of `es_message_t` as
 * eslogger writes it, with audit tokens as objects (message version 9) or as 8-integer
 * arrays (version 10). Used to check every mapped event and to drive the stand-in eslogger.
 */
import { ES_NOTIFY_EVENTS } from '@edrkit/macos';

export type Json = Record<string, unknown>;

export interface TokenInit {
  pid: number;
  pidversion?: number;
  euid?: number;
  egid?: number;
}

export function token(t: TokenInit, version: number): unknown {
  const full = { auid: 501, euid: t.euid ?? 501, egid: t.egid ?? 20, ruid: 501, rgid: 20, pid: t.pid, asid: 100001, pidversion: t.pidversion ?? t.pid + 1 };
  return version >= 10 ? [full.auid, full.euid, full.egid, full.ruid, full.rgid, full.pid, full.asid, full.pidversion] : full;
}

export function file(path: string): Json {
  return { path, path_truncated: false, stat: { st_mode: 33188, st_size: 10, st_uid: 501, st_gid: 20 } };
}

export function proc(exe: string, t: TokenInit, version: number, extra: Json = {}): Json {
  return {
    audit_token: token(t, version),
    parent_audit_token: token({ pid: 1, pidversion: 1 }, version),
    responsible_audit_token: token(t, version),
    ppid: 1,
    original_ppid: 1,
    group_id: t.pid,
    session_id: t.pid,
    codesigning_flags: 570491649,
    is_platform_binary: false,
    is_es_client: false,
    signing_id: 'com.example.tool',
    team_id: 'EXAMPLE123',
    cdhash: 'ABCDEF0123456789ABCDEF0123456789ABCDEF01',
    start_time: '2026-01-02T03:04:05.123456Z',
    tty: null,
    executable: file(exe),
    ...extra,
  };
}

export interface MessageInit {
  version?: number;
  seq?: number;
  global?: number;
  actor?: Json;
  time?: string;
}

let globalSeq = 0;

/** One eslogger message of event `name` with `body`. */
export function message(name: string, body: Json, init: MessageInit = {}): Json {
  const version = init.version ?? 9;
  return {
    version,
    schema_version: 1,
    event_type: (ES_NOTIFY_EVENTS as Record<string, number>)[name] ?? 9999, // the decoder reads the name; a made-up event gets a made-up number
    action_type: 1,
    action: { result: { result_type: 0, result: { auth: 0 } } },
    mach_time: 1,
    time: init.time ?? '2026-01-02T03:04:06.000001999Z',
    thread: { thread_id: 4242 },
    seq_num: init.seq ?? 0,
    global_seq_num: init.global ?? globalSeq++,
    process: init.actor ?? proc('/bin/zsh', { pid: 100 }, version),
    event: { [name]: body },
  };
}
