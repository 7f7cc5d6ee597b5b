/**
 * The one place a failed probe becomes an error. `openSensor` (which probes first) and a
 * backend's own `start()` (for callers that start it directly) both throw what this returns,
 * so a user sees the same class, code and message whichever way the backend was opened.
 *
 * @module
 */
import type { BackendProbe } from './backend.js';
import { BackendUnavailableError, type ErrorCode } from './errors.js';

/**
 * The error for a backend whose probe says it cannot start: a {@link BackendUnavailableError}
 * naming the backend and the probe's reason, with the probe's `code` (`ERR_PERMISSION`,
 * `ERR_NOT_SUPPORTED`, `ERR_NATIVE_MISSING`, …; `ERR_BACKEND_UNAVAILABLE` when it gave none).
 * Switch on `code`, not on the class.
 */
export function probeError(probe: BackendProbe): BackendUnavailableError {
  const code: ErrorCode = probe.code ?? 'ERR_BACKEND_UNAVAILABLE';
  const error = new BackendUnavailableError(probe.id, probe.reason ?? 'the backend gave no reason', { code });
  return Object.assign(error, { probe });
}
