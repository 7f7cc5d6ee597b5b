/**
 * The error code of the watched-file derivations: a file the sensor reads to derive
 * `account.*`, `task.*` or `service.*` could not be read or parsed. Reported through
 * `sink.warn`, never thrown at the user: the sensor keeps running.
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';

declare module '@edrkit/core' {
  interface ErrorCodes {
    /** A watched system file (passwd, crontab, unit file, …) could not be read or parsed; the message names it. */
    ERR_WATCHED_FILE: true;
  }
}

/** A watched file that could not be read or parsed: `path` names it, `line` the first bad line. */
export class WatchedFileError extends EdrkitError {
  constructor(
    readonly path: string,
    problem: string,
    readonly line?: number,
  ) {
    super('ERR_WATCHED_FILE', `${path}${line !== undefined ? `:${line}` : ''}: ${problem}`);
    this.name = 'WatchedFileError';
  }
}
