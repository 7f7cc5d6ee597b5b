/**
 * The errors of the Windows backends, each naming the fix. Codes are registered in
 * `ErrorCodes` (declaration merging) and listed in docs/errors.md.
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';

declare module '@edrkit/core' {
  interface ErrorCodes {
    /** The system-wide limit of ETW sessions (64) is reached. */
    ERR_ETW_SESSION_LIMIT: true;
    /** An ETW provider could not be enabled (not registered on this Windows). */
    ERR_ETW_PROVIDER_MISSING: true;
    /** An ETW call failed for another reason; the message has the Win32 error. */
    ERR_ETW_FAILED: true;
    /** An Event Log channel edrkit subscribes to does not exist (e.g. Sysmon not installed). */
    ERR_EVENTLOG_CHANNEL_MISSING: true;
    /** An Event Log call failed for another reason; the message has the Win32 error. */
    ERR_EVENTLOG_FAILED: true;
    /** No minifilter communication port of that name (the minifilter is not loaded). */
    ERR_MINIFILTER_PORT_NOT_FOUND: true;
    /** A minifilter port call failed for another reason; the message has the HRESULT. */
    ERR_MINIFILTER_FAILED: true;
  }
}

/** An ETW call failed: `call` and the Win32 `status`, with what to do. */
export class EtwError extends EdrkitError {
  constructor(
    code: 'ERR_ETW_SESSION_LIMIT' | 'ERR_ETW_PROVIDER_MISSING' | 'ERR_ETW_FAILED' | 'ERR_PERMISSION',
    readonly call: string,
    readonly status: number,
    message: string,
  ) {
    super(code, message);
  }
}

/** An Event Log call failed for `channel` (or the call named there) with the Win32 `status`. */
export class EventLogError extends EdrkitError {
  constructor(
    code: 'ERR_EVENTLOG_CHANNEL_MISSING' | 'ERR_EVENTLOG_FAILED',
    readonly channel: string,
    readonly status: number,
    message: string,
  ) {
    super(code, message);
  }
}

/** A minifilter port call failed for `port` with the HRESULT `status`. */
export class MinifilterError extends EdrkitError {
  constructor(
    code: 'ERR_MINIFILTER_PORT_NOT_FOUND' | 'ERR_MINIFILTER_FAILED',
    readonly port: string,
    readonly status: number,
    message: string,
  ) {
    super(code, message);
  }
}
