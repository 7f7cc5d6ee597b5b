/**
 * The error of the record decoder.
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';

/** A ring-buffer record (or batch frame) does not match the edrkit.h contract. */
export class RecordDecodeError extends EdrkitError {
  /** Byte offset of the bad record in its batch. */
  readonly offset: number;
  constructor(offset: number, message: string) {
    super('ERR_INVALID_RECORD', `linux-ebpf record at byte ${offset}: ${message} (the BPF object and the decoder disagree: rebuild with 'npm run build:native')`);
    this.offset = offset;
  }
}
