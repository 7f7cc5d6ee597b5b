/**
 * The edrkit minifilter message protocol, version 1: what a vendor minifilter sends through
 * its communication port for each file operation (after the FILTER_MESSAGE_HEADER), and the
 * verdict edrkit replies (after the FILTER_REPLY_HEADER). Little-endian, x64:
 *
 * ```
 * offset size  field
 *  0      2    Version          1
 *  2      2    Operation        1 create, 2 modify, 3 delete, 4 rename, 5 open
 *  4      4    ProcessId
 *  8      4    ThreadId
 * 12      4    Flags            open: 0x1 read, 0x2 write, 0x4 create, 0x8 truncate, 0x10 append, 0x20 exclusive, 0x40 directory
 * 16      8    Time             FILETIME (UTC)
 * 24      2    PathLength       bytes of Path (UTF-16LE, no terminator)
 * 26      2    TargetPathLength bytes of TargetPath (rename only, else 0)
 * 28      4    Reserved         0
 * 32      …    Path, then TargetPath
 * reply:  FILTER_REPLY_HEADER, then uint32 Verdict: 0 allow, 1 deny
 * ```
 *
 * A message is untrusted input (a driver bug must not crash the host): every length is
 * checked and a bad message is a `MinifilterMessageError` (fuzzed in protocol.test.ts).
 *
 * @module
 */
import { EdrkitError, type EventDraft, type OpenFlag } from '@edrkit/core';
import { filetimeToMs } from '../win32/types.js';

/** The protocol version this client reads. */
export const MINIFILTER_PROTOCOL_VERSION = 1;
/** Size of the fixed part of a message body. */
export const MESSAGE_FIXED_SIZE = 32;
/** Reply verdicts. */
export const VERDICT_ALLOW = 0;
export const VERDICT_DENY = 1;

/** A message that does not follow the protocol. */
export class MinifilterMessageError extends EdrkitError {
  constructor(message: string) {
    super('ERR_INVALID_RECORD', `minifilter message: ${message}`);
  }
}

const OPEN_FLAGS: ReadonlyArray<[number, OpenFlag]> = [
  [0x1, 'read'], [0x2, 'write'], [0x4, 'create'], [0x8, 'truncate'], [0x10, 'append'], [0x20, 'exclusive'], [0x40, 'directory'],
];

/** One message body → its event (`source: windows-minifilter`). */
export function decodeFileMessage(body: Uint8Array): EventDraft {
  if (body.length < MESSAGE_FIXED_SIZE) throw new MinifilterMessageError(`${body.length} bytes, shorter than the ${MESSAGE_FIXED_SIZE}-byte header`);
  const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const version = v.getUint16(0, true);
  if (version !== MINIFILTER_PROTOCOL_VERSION) throw new MinifilterMessageError(`version ${version}; this edrkit reads version ${MINIFILTER_PROTOCOL_VERSION}`);
  const op = v.getUint16(2, true);
  const pathLength = v.getUint16(24, true);
  const targetLength = v.getUint16(26, true);
  if (pathLength % 2 || targetLength % 2) throw new MinifilterMessageError('path lengths must be even (UTF-16)');
  if (MESSAGE_FIXED_SIZE + pathLength + targetLength > body.length) throw new MinifilterMessageError(`paths of ${pathLength}+${targetLength} bytes run past the ${body.length}-byte message`);
  const text = (at: number, n: number) => Buffer.from(body.buffer, body.byteOffset + at, n).toString('utf16le');
  const path = text(MESSAGE_FIXED_SIZE, pathLength);
  if (!path) throw new MinifilterMessageError('empty path');
  const time = filetimeToMs(v.getBigUint64(16, true));
  if (time === undefined) throw new MinifilterMessageError('time before 1970');
  const pid = v.getUint32(4, true);
  const base = { time, platform: 'windows' as const, source: 'windows-minifilter', process: { pid, ppid: 0, exe: '', args: [], cmdline: '', tid: v.getUint32(8, true) }, raw: { windows: { protocolVersion: version, operation: op } } };
  switch (op) {
    case 1:
      return { kind: 'file.create', ...base, file: { path } };
    case 2:
      return { kind: 'file.modify', ...base, file: { path } };
    case 3:
      return { kind: 'file.delete', ...base, file: { path } };
    case 4: {
      const target = text(MESSAGE_FIXED_SIZE + pathLength, targetLength);
      if (!target) throw new MinifilterMessageError('rename without a target path');
      return { kind: 'file.rename', ...base, file: { path }, target: { path: target } };
    }
    case 5: {
      const flags = v.getUint32(12, true);
      return { kind: 'file.open', ...base, file: { path }, flags: OPEN_FLAGS.filter(([bit]) => flags & bit).map(([, f]) => f) };
    }
    default:
      throw new MinifilterMessageError(`unknown operation ${op}`);
  }
}
