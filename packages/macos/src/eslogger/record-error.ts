/**
 * The error of an eslogger (or Endpoint Security addon) record that cannot be decoded: it
 * names the field path and what is wrong there, so a bad line in a saved capture is found at
 * once. Backends wrap it with the input and record number (`ERR_INVALID_EVENT`).
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';

/** A record that is not an Endpoint Security message edrkit can read. */
export class EsRecordError extends EdrkitError {
  /** Dotted path of the field at fault (`process.audit_token.pid`; '' for the record). */
  readonly path: string;
  constructor(path: string, problem: string) {
    super('ERR_INVALID_RECORD', `${path ? `${path}: ` : ''}${problem}`);
    this.path = path;
  }
}
