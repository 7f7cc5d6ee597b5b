/**
 * OCSF Identity & Access Management mappings: `auth.*` -> Authentication (3002) and
 * `account.*` -> Account Change (3001).
 *
 * @module
 */
import type { EventOfKind } from '@edrkit/core';
import { userIdOf } from '../identity.js';
import { isIpLiteral } from '../net.js';
import type { ExportOptions } from '../options.js';
import type { Leftovers } from '../unmapped.js';
import { LOGON_TYPE, OCSF_CLASSES } from './catalog.js';
import { ocsfEnvelope } from './envelope.js';
import { ocsfActor } from './system.js';
import type { OcsfAccountChange, OcsfAuthentication, OcsfNetworkEndpoint, OcsfUser } from './types.js';

type AuthKind = 'auth.logon' | 'auth.logoff' | 'auth.failed';
type AccountKind = 'account.create' | 'account.modify' | 'account.delete';

/**
 * `auth.logon` -> Authentication: Logon (status Success), `auth.failed` -> Logon with status
 * Failure and the reason as `status_detail`, `auth.logoff` -> Logoff. The method (PAM service,
 * Windows logon type, macOS login kind) is the `service` name OCSF asks for; a Windows logon
 * type name also sets `logon_type_id`. The remote peer is `src_endpoint`.
 */
export function authActivity(event: EventOfKind<AuthKind>, options: ExportOptions, left: Leftovers): OcsfAuthentication {
  const { auth } = event;
  const actor = ocsfActor(event, left);
  const base = ocsfEnvelope(event, OCSF_CLASSES.authentication, event.kind === 'auth.logoff' ? 2 : 1, options, left);
  const logonType = LOGON_TYPE[auth.method.replace(/[\s_-]/g, '').toLowerCase()];
  if (auth.sid !== undefined) left.add('auth.uid', auth.uid);
  let src: OcsfNetworkEndpoint | undefined;
  if (auth.remote) {
    // An address that is not an IP literal (a host name from a log) must not go into ip_t.
    src = isIpLiteral(auth.remote.ip) ? { ip: auth.remote.ip, port: auth.remote.port } : { hostname: auth.remote.ip, port: auth.remote.port };
  }
  const failed = event.kind === 'auth.failed';
  return {
    ...base,
    class_uid: 3002,
    actor,
    user: { uid: userIdOf(auth), name: auth.user },
    service: { name: auth.method },
    src_endpoint: src,
    is_remote: auth.remote !== undefined ? true : undefined,
    logon_type_id: logonType?.[0],
    logon_type: logonType?.[1],
    session: auth.session !== undefined || auth.terminal !== undefined ? { uid: auth.session, terminal: auth.terminal } : undefined,
    status_id: event.kind === 'auth.logoff' ? undefined : failed ? 2 : 1,
    status: event.kind === 'auth.logoff' ? undefined : failed ? 'Failure' : 'Success',
    status_detail: auth.reason,
  };
}

/**
 * `account.create` -> Account Change: Create, `account.delete` -> Delete. `account.modify` is
 * Password Change when only the password changed, Enable/Disable when only `enabled` changed,
 * otherwise Other (99, "Modify"). The changes are kept in `unmapped["account.changes"]`
 * (OCSF 1.9 deprecates `user_result`, and has no attributes for shell, groups or home).
 */
export function accountActivity(event: EventOfKind<AccountKind>, options: ExportOptions, left: Leftovers): OcsfAccountChange {
  const { account } = event;
  const actor = ocsfActor(event, left);
  if (account.sid !== undefined) left.add('account.uid', account.uid);
  const user: OcsfUser = { uid: userIdOf(account), name: account.name };
  const changes = account.changes;
  let activityId = event.kind === 'account.create' ? 1 : 6;
  if (event.kind === 'account.modify') {
    const keys = changes ? Object.keys(changes) : [];
    activityId = 99;
    if (keys.length === 1 && changes?.password === true) activityId = 3;
    else if (keys.length === 1 && changes?.enabled !== undefined) activityId = changes.enabled ? 2 : 5;
    left.add('account.changes', changes);
  }
  const base = ocsfEnvelope(event, OCSF_CLASSES.accountChange, activityId, options, left);
  return {
    ...base,
    ...(activityId === 99 ? { activity_name: 'Modify' } : {}),
    class_uid: 3001,
    actor,
    user,
  };
}
