/**
 * Decoding an event's UserData bytes by its template: fixed-size integers little-endian,
 * pointers 4 or 8 bytes (by the event header's 32/64-bit flag), NUL-terminated UTF-16 and
 * ANSI strings, SIDs, GUIDs, FILETIMEs and Binary fields of known length. The bytes come from
 * the OS but are treated as untrusted: every read is bounds-checked and a short or malformed
 * payload is an `EtwDecodeError`, never a crash (fuzzed in user-data.test.ts). A payload that
 * stops at a field boundary leaves the remaining fields absent.
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';
import { filetimeToMs, formatGuid } from '../win32/types.js';
import type { EventTemplate } from './templates.js';

/** A payload that does not fit its template. */
export class EtwDecodeError extends EdrkitError {
  constructor(message: string) {
    super('ERR_INVALID_RECORD', message);
  }
}

/** A decoded field value. */
export type FieldValue = number | bigint | string | Uint8Array | boolean;

/** `S-1-5-21-…` from a binary SID at `offset`; returns the text and its length. */
function readSid(b: Uint8Array, offset: number): { text: string; size: number } {
  if (offset + 8 > b.length) throw new EtwDecodeError('SID truncated');
  const revision = b[offset]!;
  const count = b[offset + 1]!;
  const size = 8 + count * 4;
  if (count > 15 || offset + size > b.length) throw new EtwDecodeError(`SID with ${count} sub-authorities truncated`);
  let authority = 0;
  for (let i = 0; i < 6; i++) authority = authority * 256 + b[offset + 2 + i]!;
  const v = new DataView(b.buffer, b.byteOffset + offset + 8, count * 4);
  const subs = Array.from({ length: count }, (_, i) => v.getUint32(i * 4, true));
  return { text: `S-${revision}-${authority}${subs.map((s) => `-${s}`).join('')}`, size };
}

/** Decode `bytes` by `template`. `pointerSize` is 8 for 64-bit sessions, 4 for 32-bit ones. */
export function decodeUserData(template: EventTemplate, bytes: Uint8Array, pointerSize: 4 | 8): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number, field: string) => {
    if (at + n > bytes.length) throw new EtwDecodeError(`${template.provider} ${template.id} v${template.version}: ${field} needs ${n} bytes at ${at}, payload has ${bytes.length}`);
  };
  for (const f of template.fields) {
    // A payload that ends at a field boundary leaves the later fields absent (as TDH reads it):
    // providers append fields in later builds. Ending inside a field is an error.
    if (at === bytes.length && at > 0) break;
    switch (f.type) {
      case 'UInt8':
      case 'Boolean':
        need(1, f.name);
        out[f.name] = f.type === 'Boolean' ? bytes[at] !== 0 : bytes[at]!;
        at += 1;
        break;
      case 'UInt16':
        need(2, f.name);
        out[f.name] = view.getUint16(at, true);
        at += 2;
        break;
      case 'UInt32':
      case 'HexInt32':
        need(4, f.name);
        out[f.name] = view.getUint32(at, true);
        at += 4;
        break;
      case 'Int32':
        need(4, f.name);
        out[f.name] = view.getInt32(at, true);
        at += 4;
        break;
      case 'UInt64':
      case 'HexInt64':
      case 'FILETIME':
        need(8, f.name);
        out[f.name] = view.getBigUint64(at, true);
        at += 8;
        break;
      case 'Pointer':
        need(pointerSize, f.name);
        out[f.name] = pointerSize === 8 ? view.getBigUint64(at, true) : BigInt(view.getUint32(at, true));
        at += pointerSize;
        break;
      case 'GUID':
        need(16, f.name);
        out[f.name] = formatGuid(bytes, at);
        at += 16;
        break;
      case 'SID': {
        const sid = readSid(bytes, at);
        out[f.name] = sid.text;
        at += sid.size;
        break;
      }
      case 'UnicodeString': {
        let end = at;
        while (end + 1 < bytes.length && (bytes[end] !== 0 || bytes[end + 1] !== 0)) end += 2;
        // A string at the very end may lack its terminator (ETW allows it); anything odd-sized is malformed.
        if (end + 1 >= bytes.length && end !== bytes.length) throw new EtwDecodeError(`${template.provider} ${template.id}: ${f.name} is not UTF-16 (odd length)`);
        out[f.name] = Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at).toString('utf16le');
        at = Math.min(end + 2, bytes.length);
        break;
      }
      case 'AnsiString': {
        let end = at;
        while (end < bytes.length && bytes[end] !== 0) end++;
        out[f.name] = Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at).toString('latin1');
        at = Math.min(end + 1, bytes.length);
        break;
      }
      case 'Binary': {
        const n = typeof f.length === 'number' ? f.length : Number(out[f.length ?? ''] ?? Number.NaN);
        if (!Number.isInteger(n) || n < 0) throw new EtwDecodeError(`${template.provider} ${template.id}: no length for ${f.name}`);
        need(n, f.name);
        out[f.name] = bytes.slice(at, at + n);
        at += n;
        break;
      }
    }
  }
  return out;
}

/** A FILETIME field → ms since the epoch, or undefined (0, or before 1970). */
export function fieldTime(v: FieldValue | undefined): number | undefined {
  return typeof v === 'bigint' ? filetimeToMs(v) : undefined;
}
