/**
 * Errors of `@edrkit/output`: codes added to core's closed `ErrorCodes` union.
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';

declare module '@edrkit/core' {
  interface ErrorCodes {
    /** An output could not be written (a file sink's file, the spool directory). */
    ERR_OUTPUT_IO: true;
    /** A NATS server or JetStream stream/consumer could not be reached or used. */
    ERR_NATS_UNAVAILABLE: true;
  }
}

/** A sink could not write its file or spool; names the path and the OS error. */
export class OutputIoError extends EdrkitError {
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_OUTPUT_IO', message, options);
  }
}

/** NATS or JetStream refused or could not be reached; names the server, stream or consumer. */
export class NatsUnavailableError extends EdrkitError {
  constructor(message: string, options?: ErrorOptions) {
    super('ERR_NATS_UNAVAILABLE', message, options);
  }
}
