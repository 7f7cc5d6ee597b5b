/**
 * Logons (loginwindow sessions, login(1), OpenSSH, Screen Sharing, sudo, su), failed
 * authentications, OpenDirectory account changes and Background Task Management launch items.
 * These ES events exist from macOS 13 (BTM, logons) and 14 (su, sudo, OpenDirectory).
 *
 * @module
 */
import type { Auth } from '@edrkit/core';
import type { EventMapper, MapContext } from './context.js';
import { isObject, join, obj, optBool, optObj, optStr, optUint, str, uint, type Json } from './map-helpers.js';

/** A `uid_t` or a `union { uid_t uid; }` at `key` (eslogger writes the union as `{ uid }`). */
function uidAt(o: Json, key: string, at: string): number | undefined {
  const v = o[key];
  if (isObject(v)) return optUint(v, 'uid', join(at, key));
  return optUint(o, key, at);
}

/** A `uid` union (`has_uid` + `uid`). */
function optUid(o: Json, at: string): number | undefined {
  if (o['has_uid'] === false) return undefined;
  return uidAt(o, 'uid', at);
}

/** The peer of a remote logon, when ES gives an IP address (`source_address_type` 1 IPv4, 2 IPv6). */
function remote(o: Json, at: string): Auth['remote'] | undefined {
  const type = optUint(o, 'source_address_type', at);
  const ip = optStr(o, 'source_address', at);
  return ip && (type === 1 || type === 2) ? { ip } : undefined;
}

type AuthKind = 'auth.logon' | 'auth.logoff' | 'auth.failed';

function auth(ctx: MapContext, kind: AuthKind, a: Auth): ReturnType<EventMapper> {
  return [ctx.draft(kind, { auth: a })];
}

/** loginwindow sessions: login, logout, screen lock (a logoff of the screen) and unlock. */
function lw(kind: AuthKind, method: string): EventMapper {
  return (ctx) => {
    const session = optUint(ctx.ev, 'graphical_session_id', ctx.at);
    return auth(ctx, kind, { user: str(ctx.ev, 'username', ctx.at), method, terminal: 'console', ...(session !== undefined ? { session: String(session) } : {}) });
  };
}

function outcome(ctx: MapContext): AuthKind {
  return optBool(ctx.ev, 'success', ctx.at) === false ? 'auth.failed' : 'auth.logon';
}

const loginLogin: EventMapper = (ctx) => {
  const uid = optUid(ctx.ev, ctx.at);
  const reason = optStr(ctx.ev, 'failure_message', ctx.at);
  const kind = outcome(ctx);
  return auth(ctx, kind, { user: str(ctx.ev, 'username', ctx.at), method: 'login', ...(uid !== undefined ? { uid } : {}), ...(kind === 'auth.failed' && reason ? { reason } : {}) });
};

const loginLogout: EventMapper = (ctx) => {
  const uid = optUid(ctx.ev, ctx.at);
  return auth(ctx, 'auth.logoff', { user: str(ctx.ev, 'username', ctx.at), method: 'login', ...(uid !== undefined ? { uid } : {}) });
};

// es_openssh_login_result_type_t: 0 LOGIN_EXCEED_MAXTRIES … 7 AUTH_SUCCESS, 8 INVALID_USER.
const SSH_RESULTS = ['too many attempts', 'root denied', 'auth success', 'auth failed: none', 'auth failed: password', 'auth failed: keyboard-interactive', 'auth failed: public key', 'auth failed: host-based', 'invalid user', 'failed'];

const sshLogin: EventMapper = (ctx) => {
  const uid = optUid(ctx.ev, ctx.at);
  const r = remote(ctx.ev, ctx.at);
  const kind = outcome(ctx);
  const result = optUint(ctx.ev, 'result_type', ctx.at);
  return auth(ctx, kind, {
    user: str(ctx.ev, 'username', ctx.at),
    method: 'ssh',
    ...(uid !== undefined ? { uid } : {}),
    ...(r ? { remote: r } : {}),
    ...(kind === 'auth.failed' ? { reason: result !== undefined ? (SSH_RESULTS[result] ?? `result ${result}`) : 'failed' } : {}),
  });
};

const sshLogout: EventMapper = (ctx) => {
  const uid = optUid(ctx.ev, ctx.at);
  const r = remote(ctx.ev, ctx.at);
  return auth(ctx, 'auth.logoff', { user: str(ctx.ev, 'username', ctx.at), method: 'ssh', ...(uid !== undefined ? { uid } : {}), ...(r ? { remote: r } : {}) });
};

const screenAttach: EventMapper = (ctx) => {
  const user = optStr(ctx.ev, 'session_username', ctx.at) ?? optStr(ctx.ev, 'authentication_username', ctx.at) ?? optStr(ctx.ev, 'viewer_appleid', ctx.at) ?? '';
  const r = remote(ctx.ev, ctx.at);
  return auth(ctx, outcome(ctx), { user, method: 'screensharing', ...(r ? { remote: r } : {}) });
};

const screenDetach: EventMapper = (ctx) => {
  const r = remote(ctx.ev, ctx.at);
  return auth(ctx, 'auth.logoff', { user: optStr(ctx.ev, 'viewer_appleid', ctx.at) ?? '', method: 'screensharing', ...(r ? { remote: r } : {}) });
};

/** sudo and su: a switch of user, a logon as the target user (`method` sudo / su). */
function elevate(method: 'sudo' | 'su'): EventMapper {
  return (ctx) => {
    const kind = outcome(ctx);
    const toUid = ctx.ev['has_to_uid'] === false ? undefined : uidAt(ctx.ev, 'to_uid', ctx.at);
    const user = optStr(ctx.ev, 'to_username', ctx.at) ?? (toUid === 0 ? 'root' : toUid !== undefined ? String(toUid) : '');
    const reason = method === 'su' ? optStr(ctx.ev, 'failure_message', ctx.at) : optStr(optObj(ctx.ev, 'reject_info', ctx.at) ?? {}, 'failure_message', join(ctx.at, 'reject_info'));
    const command = method === 'sudo' ? optStr(ctx.ev, 'command', ctx.at) : undefined;
    const from = optStr(ctx.ev, 'from_username', ctx.at);
    return [
      ctx.draft(
        kind,
        { auth: { user, method, ...(toUid !== undefined ? { uid: toUid } : {}), ...(kind === 'auth.failed' ? { reason: reason ?? 'refused' } : {}) } },
        { raw: { ...(from ? { fromUser: from } : {}), ...(command ? { command } : {}) } },
      ),
    ];
  };
}

// es_authentication_type_t
const AUTH_TYPES = ['od', 'touchid', 'token', 'auto_unlock'];

/**
 * A failed authentication (OpenDirectory password, Touch ID, token, Apple Watch) is a
 * `auth.failed`. A successful one is not a logon (it may unlock a settings pane), so it is
 * left unmapped; logons are the session events above.
 */
const authentication: EventMapper = (ctx) => {
  if (optBool(ctx.ev, 'success', ctx.at) !== false) return [];
  const type = optUint(ctx.ev, 'type', ctx.at);
  const name = type !== undefined ? (AUTH_TYPES[type] ?? `type ${type}`) : 'unknown';
  const data = optObj(ctx.ev, 'data', ctx.at) ?? {};
  const body = optObj(data, name, join(ctx.at, 'data')) ?? {};
  const at = join(ctx.at, `data.${name}`);
  const uid = optUid(body, at);
  const user = optStr(body, 'record_name', at) ?? optStr(body, 'username', at) ?? (uid !== undefined ? String(uid) : '');
  return auth(ctx, 'auth.failed', { user, method: name === 'od' ? 'opendirectory' : name, ...(uid !== undefined ? { uid } : {}), reason: 'authentication failed' });
};

/** OpenDirectory: an operation that failed (`error_code` ≠ 0) changed nothing, so it maps to nothing. */
function od(kind: 'account.create' | 'account.modify' | 'account.delete', nameKey: string, changes?: (ctx: MapContext) => Record<string, unknown>, raw?: (ctx: MapContext) => Record<string, unknown>): EventMapper {
  return (ctx) => {
    if (uint(ctx.ev, 'error_code', ctx.at) !== 0) return [];
    const c = changes?.(ctx);
    return [ctx.draft(kind, { account: { name: str(ctx.ev, nameKey, ctx.at), ...(c ? { changes: c } : {}) } }, raw ? { raw: raw(ctx) } : {})];
  };
}

/** The member of an OpenDirectory group change: its name, or its UUID. */
function member(ctx: MapContext): string {
  const m = obj(ctx.ev, 'member', ctx.at);
  const at = join(ctx.at, 'member');
  const v = m['member_value'];
  if (isObject(v)) return optStr(v, 'name', join(at, 'member_value')) ?? optStr(v, 'uuid', join(at, 'member_value')) ?? '';
  return optStr(m, 'member_value', at) ?? '';
}

function groupChange(change: 'added' | 'removed'): EventMapper {
  return (ctx) => {
    if (uint(ctx.ev, 'error_code', ctx.at) !== 0) return [];
    return [ctx.draft('account.modify', { account: { name: member(ctx) } }, { raw: { group: str(ctx.ev, 'group_name', ctx.at), groupChange: change } })];
  };
}

/** Attribute changes of user records (record_type 0); group records are not accounts. */
const odAttribute: EventMapper = (ctx) => {
  if (uint(ctx.ev, 'error_code', ctx.at) !== 0 || optUint(ctx.ev, 'record_type', ctx.at) !== 0) return [];
  return [ctx.draft('account.modify', { account: { name: str(ctx.ev, 'record_name', ctx.at) } }, { raw: { attribute: str(ctx.ev, 'attribute_name', ctx.at), change: ctx.name } })];
};

// es_btm_item_type_t: 0 user item, 1 app, 2 login item, 3 agent, 4 daemon.
const BTM_DAEMON = 4;

/** A `file://` URL (BTM's `item_url`) → a path; anything else as given. */
function urlPath(u: string): string {
  if (!u.startsWith('file://')) return u;
  try {
    return decodeURIComponent(new URL(u).pathname);
  } catch {
    return u;
  }
}

/** Background Task Management: launch daemons are services, agents and login items tasks (launchd). */
function btm(op: 'create' | 'delete'): EventMapper {
  return (ctx) => {
    const item = obj(ctx.ev, 'item', ctx.at);
    const at = join(ctx.at, 'item');
    const type = uint(item, 'item_type', at);
    const url = optStr(item, 'item_url', at);
    const path = url !== undefined ? urlPath(url) : undefined;
    const name = path ? (path.split('/').pop() ?? path).replace(/\.plist$/, '') : (optStr(ctx.ev, 'executable_path', ctx.at) ?? 'unknown');
    const command = optStr(ctx.ev, 'executable_path', ctx.at);
    const uid = optUint(item, 'uid', at);
    const raw = { btmItemType: type, ...(optBool(item, 'managed', at) !== undefined ? { managed: item['managed'] } : {}), ...(optBool(item, 'legacy', at) !== undefined ? { legacy: item['legacy'] } : {}) };
    if (type === BTM_DAEMON) {
      return [ctx.draft(`service.${op}`, { service: { name, path: path ?? '', ...(command ? { command } : {}), ...(uid !== undefined ? { user: String(uid) } : {}) } }, { raw })];
    }
    return [ctx.draft(`task.${op}`, { task: { name, ...(path ? { path } : {}), ...(command ? { command } : {}), scheduler: 'launchd' as const, ...(uid !== undefined ? { user: String(uid) } : {}) } }, { raw })];
  };
}

/** The logon, account and launch-item events, by ES event name. */
export const AUTH_MAPPERS: Record<string, EventMapper> = {
  lw_session_login: lw('auth.logon', 'loginwindow'),
  lw_session_logout: lw('auth.logoff', 'loginwindow'),
  lw_session_lock: lw('auth.logoff', 'screensaver'),
  lw_session_unlock: lw('auth.logon', 'screensaver'),
  login_login: loginLogin,
  login_logout: loginLogout,
  openssh_login: sshLogin,
  openssh_logout: sshLogout,
  screensharing_attach: screenAttach,
  screensharing_detach: screenDetach,
  sudo: elevate('sudo'),
  su: elevate('su'),
  authentication,
  od_create_user: od('account.create', 'user_name'),
  od_delete_user: od('account.delete', 'user_name'),
  od_modify_password: od('account.modify', 'account_name', () => ({ password: true })),
  od_enable_user: od('account.modify', 'user_name', () => ({ enabled: true })),
  od_disable_user: od('account.modify', 'user_name', () => ({ enabled: false })),
  od_group_add: groupChange('added'),
  od_group_remove: groupChange('removed'),
  od_attribute_value_add: odAttribute,
  od_attribute_value_remove: odAttribute,
  od_attribute_set: odAttribute,
  btm_launch_item_add: btm('create'),
  btm_launch_item_remove: btm('delete'),
};
