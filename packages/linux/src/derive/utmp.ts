/**
 * utmp(5) records as glibc writes them on 64-bit Linux (384 bytes, little-endian; the same
 * layout for /var/log/wtmp and /var/log/btmp), and what they say about logons: a
 * `USER_PROCESS` record in wtmp is a logon, a `DEAD_PROCESS` one the end of the session on
 * that line, a record in btmp a failed logon. Decoding is total: any bytes give records or
 * nothing, never an exception (fuzzed).
 *
 * @module
 */

/** Size of one record. */
export const UTMP_SIZE = 384;

/** ut_type values (utmp.h). */
export const UT = { LOGIN_PROCESS: 6, USER_PROCESS: 7, DEAD_PROCESS: 8 } as const;

/** One decoded record. */
export interface UtmpRecord {
  type: number;
  pid: number;
  /** Terminal (`pts/3`) or `ssh:notty`. */
  line: string;
  user: string;
  host: string;
  /** The peer address when the writer filled ut_addr_v6 (IPv4 in the first word). */
  addr?: string;
  session: number;
  /** ms since the epoch. */
  time: number;
}

function text(b: Uint8Array, o: number, n: number): string {
  let end = o;
  while (end < o + n && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + o, end - o).toString('utf8');
}

function address(b: Uint8Array, o: number): string | undefined {
  const w = b.subarray(o, o + 16);
  if (w.every((x) => x === 0)) return undefined;
  if (w.subarray(4).every((x) => x === 0)) return `${w[0]}.${w[1]}.${w[2]}.${w[3]}`;
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((w[i]! << 8) | w[i + 1]!).toString(16));
  return parts.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Decode whole records of `bytes` (a trailing partial record is left out). */
export function decodeUtmp(bytes: Uint8Array): UtmpRecord[] {
  const out: UtmpRecord[] = [];
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let o = 0; o + UTMP_SIZE <= bytes.length; o += UTMP_SIZE) {
    const r: UtmpRecord = {
      type: v.getInt16(o, true),
      pid: v.getInt32(o + 4, true),
      line: text(bytes, o + 8, 32),
      user: text(bytes, o + 44, 32),
      host: text(bytes, o + 76, 256),
      session: v.getInt32(o + 336, true),
      time: v.getUint32(o + 340, true) * 1000 + Math.floor((v.getUint32(o + 344, true) % 1_000_000) / 1000),
    };
    const addr = address(bytes, o + 348);
    if (addr) r.addr = addr;
    out.push(r);
  }
  return out;
}
