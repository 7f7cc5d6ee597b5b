/**
 * Part B records (issue 14b): the close-after-write signal (`edrkit_cw_rec`). Kept apart from
 * records.ts so the two halves of issue 14 touch different files; records.ts dispatches here.
 *
 * @module
 */
import { RecordDecodeError } from './errors.js';
import { CAPS, CW_REASON, LAYOUT, PAM_OP } from './layout.js';
import type { RecordHeader } from './records.js';
import { cString } from './strings.js';

/**
 * A file opened for writing in a watched directory was closed by its last descriptor
 * (`reason: 'close'`), or its opener exited still holding it (`'exit'`).
 */
export interface CloseWriteRecord {
  type: 'close-write';
  h: RecordHeader;
  /** Inode number of the watched directory the file is in. */
  dirIno: number;
  ino: number;
  reason: 'close' | 'exit';
  /** The file's own name (no directory). */
  name: string;
}

const TWO_32 = 2 ** 32;
const u64 = (v: DataView, o: number) => v.getUint32(o, true) + v.getUint32(o + 4, true) * TWO_32;

/** Tail bytes of a close-write record at `o`; throws when the name length is over its cap. */
export function closeWriteTailBytes(v: DataView, o: number): number {
  const n = v.getUint16(o + LAYOUT['edrkit_cw_rec.name_len'], true);
  if (n > CAPS.EDRKIT_RAW_PATH - 1) throw new RecordDecodeError(o, `close-write name length ${n} exceeds ${CAPS.EDRKIT_RAW_PATH - 1}`);
  return n;
}

/** Decode the fixed part at `o` and the name at `t`. */
export function decodeCloseWrite(bytes: Buffer, v: DataView, o: number, t: number, h: RecordHeader): CloseWriteRecord {
  const reason = v.getUint32(o + LAYOUT['edrkit_cw_rec.reason'], true);
  if (reason !== CW_REASON.CLOSE && reason !== CW_REASON.EXIT) throw new RecordDecodeError(o, `close-write record with reason ${reason}`);
  const n = v.getUint16(o + LAYOUT['edrkit_cw_rec.name_len'], true);
  return {
    type: 'close-write',
    h,
    dirIno: u64(v, o + LAYOUT['edrkit_cw_rec.dir_ino']),
    ino: u64(v, o + LAYOUT['edrkit_cw_rec.ino']),
    reason: reason === CW_REASON.CLOSE ? 'close' : 'exit',
    name: cString(bytes, t, n),
  };
}

/** A line an interactive bash read with readline() (`script.content`). */
export interface ShellLineRecord {
  type: 'shell-line';
  h: RecordHeader;
  line: string;
  truncated: boolean;
}

/** Tail bytes of a shell-line record at `o`; throws when the length is over its cap. */
export function shellLineTailBytes(v: DataView, o: number): number {
  const n = v.getUint32(o + LAYOUT['edrkit_line_rec.len'], true);
  if (n > CAPS.EDRKIT_LINE_MAX - 1) throw new RecordDecodeError(o, `shell line length ${n} exceeds ${CAPS.EDRKIT_LINE_MAX - 1}`);
  return n;
}

/** Decode a shell-line record whose tail starts at `t`. */
export function decodeShellLine(bytes: Buffer, v: DataView, o: number, t: number, h: RecordHeader): ShellLineRecord {
  const n = v.getUint32(o + LAYOUT['edrkit_line_rec.len'], true);
  return { type: 'shell-line', h, line: bytes.toString('utf8', t, t + n), truncated: (h.flags & 1) !== 0 };
}

/** A libpam call's result, with the handle's service, user, tty and remote host. */
export interface PamRecord {
  type: 'pam';
  h: RecordHeader;
  op: 'authenticate' | 'open-session' | 'close-session';
  /** PAM return code: 0 is PAM_SUCCESS. */
  ret: number;
  service: string;
  user: string;
  tty: string;
  rhost: string;
}

/** Decode a pam record (fixed size, no tail). */
export function decodePam(bytes: Buffer, v: DataView, o: number, h: RecordHeader): PamRecord {
  const op = v.getUint32(o + LAYOUT['edrkit_pam_rec.op'], true);
  if (op !== PAM_OP.AUTHENTICATE && op !== PAM_OP.OPEN_SESSION && op !== PAM_OP.CLOSE_SESSION) throw new RecordDecodeError(o, `pam record with op ${op}`);
  return {
    type: 'pam',
    h,
    op: op === PAM_OP.AUTHENTICATE ? 'authenticate' : op === PAM_OP.OPEN_SESSION ? 'open-session' : 'close-session',
    ret: v.getInt32(o + LAYOUT['edrkit_pam_rec.ret'], true),
    service: cString(bytes, o + LAYOUT['edrkit_pam_rec.service'], 32),
    user: cString(bytes, o + LAYOUT['edrkit_pam_rec.user'], 64),
    tty: cString(bytes, o + LAYOUT['edrkit_pam_rec.tty'], 32),
    rhost: cString(bytes, o + LAYOUT['edrkit_pam_rec.rhost'], 64),
  };
}
