/**
 * Endpoint Security client failures → errors that name the fix. `es_new_client` returns one
 * of `es_new_client_result_t` (the addon passes it through); eslogger prints the failure on
 * stderr and exits, so its words are matched too. The wording eslogger uses is not
 * documented: the patterns cover the result names and Apple's messages, and the message
 * always carries eslogger's own last lines so nothing is hidden when no pattern matches.
 *
 * @module
 */
import { BackendUnavailableError, type ErrorCode } from '@edrkit/core';

/** `es_new_client_result_t` values (ESTypes.h), by value, without the `ES_NEW_CLIENT_RESULT_` prefix. */
export const ES_NEW_CLIENT_RESULTS = ['SUCCESS', 'INVALID_ARGUMENT', 'INTERNAL', 'NOT_ENTITLED', 'NOT_PERMITTED', 'NOT_PRIVILEGED', 'TOO_MANY_CLIENTS'] as const;

/** One failure and its remedy. */
export interface EsRemedy {
  code: ErrorCode;
  remedy: string;
}

const FULL_DISK_ACCESS: EsRemedy = {
  code: 'ERR_PERMISSION',
  remedy: 'grant Full Disk Access to the app that runs edrkit (Terminal, your service) in System Settings › Privacy & Security › Full Disk Access, then start again',
};
const NOT_ROOT: EsRemedy = { code: 'ERR_PERMISSION', remedy: 'Endpoint Security needs root: run edrkit with sudo' };
const NOT_ENTITLED: EsRemedy = {
  code: 'ERR_PERMISSION',
  remedy: 'the program lacks the com.apple.developer.endpoint-security.client entitlement (granted by Apple; a binary signed with it, or use backend macos-eslogger, which needs none)',
};
const TOO_MANY: EsRemedy = { code: 'ERR_BACKEND_UNAVAILABLE', remedy: 'the system has as many Endpoint Security clients as it allows; stop another ES client (an EDR, eslogger) and start again' };

/** The remedy for an `es_new_client` result (by value). */
export function newClientRemedy(result: number): EsRemedy {
  switch (ES_NEW_CLIENT_RESULTS[result]) {
    case 'NOT_ENTITLED':
      return NOT_ENTITLED;
    case 'NOT_PERMITTED':
      return FULL_DISK_ACCESS;
    case 'NOT_PRIVILEGED':
      return NOT_ROOT;
    case 'TOO_MANY_CLIENTS':
      return TOO_MANY;
    case 'INVALID_ARGUMENT':
      return { code: 'ERR_BACKEND_FAILED', remedy: 'es_new_client refused its arguments (a bug in edrkit: please report it)' };
    default:
      return { code: 'ERR_BACKEND_FAILED', remedy: `es_new_client failed (result ${ES_NEW_CLIENT_RESULTS[result] ?? result}); the Endpoint Security subsystem may be restarting, try again` };
  }
}

/** The remedy for eslogger's stderr, when its words say which failure it was. */
export function esloggerRemedy(stderr: string): EsRemedy | undefined {
  if (/NOT_PERMITTED|full disk access|\bTCC\b|not permitted/i.test(stderr)) return FULL_DISK_ACCESS;
  if (/NOT_PRIVILEGED|must be run as root|not running as root|requires root|root privileges/i.test(stderr)) return NOT_ROOT;
  if (/NOT_ENTITLED|entitle/i.test(stderr)) return NOT_ENTITLED;
  if (/TOO_MANY_CLIENTS|too many clients/i.test(stderr)) return TOO_MANY;
  const unknown = /(?:unknown|invalid|unrecognized|unsupported) event(?: type)?[: ]+['"]?([a-z_]+)/i.exec(stderr);
  if (unknown) return { code: 'ERR_NOT_SUPPORTED', remedy: `this macOS's eslogger does not know the event '${unknown[1]}' (ask for fewer kinds, or update macOS)` };
  return undefined;
}

/** The error for an eslogger that exited: the remedy when known, always its last stderr lines. */
export function esloggerExitError(how: string, stderr: string): BackendUnavailableError {
  const tail = stderr.trim().split('\n').slice(-5).join(' | ').slice(-600);
  const remedy = esloggerRemedy(stderr);
  const said = tail ? `; eslogger said: ${tail}` : '';
  return new BackendUnavailableError('macos-eslogger', `eslogger ${how}${remedy ? `: ${remedy.remedy}` : ''}${said}`, { code: remedy?.code ?? 'ERR_BACKEND_FAILED' });
}
