/**
 * An ETW event as the record callback copies it out of the EVENT_RECORD the OS lends it for
 * the length of the call: the header fields edrkit uses and a copy of the UserData bytes.
 *
 * @module
 */

/** One copied ETW event. */
export interface EtwRecord {
  /** Provider GUID, lower case without braces. */
  readonly providerId: string;
  readonly id: number;
  readonly version: number;
  readonly opcode: number;
  /** EVENT_HEADER.ProcessId / ThreadId: the context the event was logged in. */
  readonly pid: number;
  readonly tid: number;
  /** EVENT_HEADER.TimeStamp as ms since the epoch (the session logs system time). */
  readonly time: number;
  /** 8 for 64-bit events (EVENT_HEADER_FLAG_64_BIT_HEADER), 4 for 32-bit ones. */
  readonly pointerSize: 4 | 8;
  readonly userData: Uint8Array;
}
