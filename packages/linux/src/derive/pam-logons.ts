/**
 * `auth.*` from the libpam uprobes: `pam_authenticate` returning an error is `auth.failed`
 * (with the PAM error's name as `reason`), `pam_open_session` succeeding is `auth.logon`,
 * `pam_close_session` `auth.logoff`. `method` is the PAM service (`sshd`, `sudo`, `su`,
 * `login`), `terminal` PAM_TTY, `remote.ip` PAM_RHOST when it is an address.
 *
 * @module
 */
import type { Auth } from '@edrkit/core';
import type { PamRecord } from '../decode/records.js';

/** PAM return codes (security/_pam_types.h) that a failed pam_authenticate gives. */
const PAM_ERRORS: Record<number, string> = {
  1: 'PAM_OPEN_ERR', 2: 'PAM_SYMBOL_ERR', 3: 'PAM_SERVICE_ERR', 4: 'PAM_SYSTEM_ERR', 5: 'PAM_BUF_ERR', 6: 'PAM_PERM_DENIED',
  7: 'PAM_AUTH_ERR (authentication failure)', 8: 'PAM_CRED_INSUFFICIENT', 9: 'PAM_AUTHINFO_UNAVAIL', 10: 'PAM_USER_UNKNOWN (unknown user)',
  11: 'PAM_MAXTRIES (too many tries)', 12: 'PAM_NEW_AUTHTOK_REQD', 13: 'PAM_ACCT_EXPIRED', 25: 'PAM_ABORT', 26: 'PAM_AUTHTOK_EXPIRED',
};

const IP = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]+:[0-9a-fA-F:.]*)$/;

/** The auth event of a pam record, or undefined (a successful authenticate, a failed session call). */
export function pamAuth(r: PamRecord): { kind: 'auth.logon' | 'auth.logoff' | 'auth.failed'; auth: Auth } | undefined {
  const auth: Auth = { user: r.user, method: r.service || 'unknown' };
  if (r.tty) auth.terminal = r.tty.replace(/^\/dev\//, '');
  if (r.rhost && IP.test(r.rhost)) auth.remote = { ip: r.rhost };
  if (r.op === 'authenticate') {
    if (r.ret === 0) return undefined;
    return { kind: 'auth.failed', auth: { ...auth, reason: PAM_ERRORS[r.ret] ?? `PAM error ${r.ret}` } };
  }
  if (r.ret !== 0 || !r.user) return undefined;
  return { kind: r.op === 'open-session' ? 'auth.logon' : 'auth.logoff', auth };
}
