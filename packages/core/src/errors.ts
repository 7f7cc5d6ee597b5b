/**
 * Errors thrown by edrkit. Every error is an {@link EdrkitError} with a stable `code`
 * (switch on the code, not the message) and a message that names the fix.
 *
 * @module
 */

/**
 * The registry of stable error codes: each key is a code, documented in docs/errors.md.
 * Closed on purpose (a typo in a code is a compile error); a package with codes of its own
 * extends it by declaration merging:
 *
 * @example
 * ```ts
 * declare module '@edrkit/core' {
 *   interface ErrorCodes { ERR_MY_BACKEND_GONE: true }
 * }
 * ```
 */
export interface ErrorCodes {
  /** A feature, kind or backend is not available on this host. */
  ERR_NOT_SUPPORTED: true;
  /** The process lacks a privilege (root, CAP_BPF, Full Disk Access, …). */
  ERR_PERMISSION: true;
  /** An event does not match the event model. */
  ERR_INVALID_EVENT: true;
  /** An event's kind is unknown to this model version (a newer recording). */
  ERR_UNKNOWN_KIND: true;
  /** An argument or option is invalid. */
  ERR_INVALID_ARGUMENT: true;
  /** A recording cannot be read (missing, not JSONL, too long a line). */
  ERR_INVALID_RECORDING: true;
  /** A backend cannot run here for a reason other than privilege, support or missing files. */
  ERR_BACKEND_UNAVAILABLE: true;
  /** A backend failed while starting or running. */
  ERR_BACKEND_FAILED: true;
  /** A backend's native files (addon, BPF object) are missing. */
  ERR_NATIVE_MISSING: true;
  /** The sensor was closed. */
  ERR_SENSOR_CLOSED: true;
  /** The sensor's queue was full under overflow policy `error`. */
  ERR_QUEUE_OVERFLOW: true;
  /** A record from the OS (e.g. a ring-buffer record) could not be decoded. */
  ERR_INVALID_RECORD: true;
}

/** Stable error codes used across edrkit packages: the keys of {@link ErrorCodes}. */
export type ErrorCode = keyof ErrorCodes & string;

/** Base class of every error edrkit throws. */
export class EdrkitError extends Error {
  /** Stable, documented error code. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A feature, kind or backend is not available on this host. Names the feature and what would provide it. */
export class NotSupportedError extends EdrkitError {
  /** The missing feature, e.g. `bpf_ringbuf` or `file.open on windows-etw`. */
  readonly feature: string;
  constructor(feature: string, message: string, options?: ErrorOptions) {
    super('ERR_NOT_SUPPORTED', message, options);
    this.feature = feature;
  }
}

/** The process lacks a privilege (root, CAP_BPF, Full Disk Access, …). */
export class PermissionError extends EdrkitError {
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_PERMISSION', message, options);
  }
}

/** One problem found in an event: the field path and what is wrong. */
export interface EventIssue {
  /** Dotted field path, e.g. `process.pid` (empty for the event itself). */
  path: string;
  /** What is wrong there. */
  message: string;
}

/**
 * An event (or a line of a recording) does not match the event model. `code` is
 * `ERR_UNKNOWN_KIND` when only its kind is unknown to this model version (a newer
 * recording), `ERR_INVALID_EVENT` otherwise.
 */
export class InvalidEventError extends EdrkitError {
  /** Every problem found, with its field path. */
  readonly issues: readonly EventIssue[];
  /** 1-based line number in a recording, when the event came from one. */
  readonly line: number | undefined;
  /** The input (file name, `stdin`, …) when known. */
  readonly input: string | undefined;

  constructor(
    issues: readonly EventIssue[],
    where: { line?: number; input?: string } = {},
    options?: ErrorOptions & { code?: 'ERR_INVALID_EVENT' | 'ERR_UNKNOWN_KIND' },
  ) {
    const at = [where.input, where.line !== undefined ? `line ${where.line}` : undefined].filter(Boolean).join(':');
    const detail = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    super(options?.code ?? 'ERR_INVALID_EVENT', `${at ? `${at}: ` : ''}invalid event: ${detail}`, options);
    this.issues = issues;
    this.line = where.line;
    this.input = where.input;
  }
}

/** An argument or option is invalid. */
export class InvalidArgumentError extends EdrkitError {
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_INVALID_ARGUMENT', message, options);
  }
}

/** A named backend cannot run on this host; `reason` says why and how to fix it. */
export class BackendUnavailableError extends EdrkitError {
  /** The backend id. */
  readonly backend: string;
  /** The probe that said no, when the error came from one (see `probeError`). */
  readonly probe?: import('./backend.js').BackendProbe;
  constructor(backend: string, reason: string, options?: ErrorOptions & { code?: ErrorCode }) {
    super(options?.code ?? 'ERR_BACKEND_UNAVAILABLE', `backend '${backend}' is unavailable: ${reason}`, options);
    this.backend = backend;
  }
}

/** The sensor was closed. */
export class SensorClosedError extends EdrkitError {
  constructor(message = 'the sensor is closed') {
    super('ERR_SENSOR_CLOSED', message);
  }
}

/** Node-style abort error (`name === 'AbortError'`, `code === 'ABORT_ERR'`), as `events.on` throws. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(message = 'The operation was aborted', options?: ErrorOptions) {
    super(message, options);
    this.name = 'AbortError';
  }
}
