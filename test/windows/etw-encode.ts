/**
 * Test helpers for the ETW stand-in: encode an event payload by its template (the inverse of
 * the backend's decoder, written independently of it), and the stand-in library's controls.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { EventTemplate } from '../../packages/windows/src/etw/templates.js';
import { parseGuid } from '../../packages/windows/src/win32/types.js';

export const STANDIN = path.resolve(import.meta.dirname, '../../packages/windows/build/libedrkit-windows-standin.so');
export const HAVE_STANDIN = existsSync(STANDIN);
export const NO_STANDIN = `the ETW stand-in library is not built (${STANDIN}): run npm run build:native`;

type Value = number | bigint | string | Uint8Array | boolean;

/** Encode `values` by `template` (missing numbers are 0, missing strings ''). */
export function encodePayload(template: EventTemplate, values: Record<string, Value>): Buffer {
  const parts: Buffer[] = [];
  for (const f of template.fields) {
    const v = values[f.name];
    const b = (n: number) => Buffer.alloc(n);
    switch (f.type) {
      case 'UInt8':
      case 'Boolean': {
        const x = b(1);
        x.writeUInt8(Number(v ?? 0));
        parts.push(x);
        break;
      }
      case 'UInt16': {
        const x = b(2);
        x.writeUInt16LE(Number(v ?? 0));
        parts.push(x);
        break;
      }
      case 'UInt32':
      case 'HexInt32':
      case 'Int32': {
        const x = b(4);
        if (f.type === 'Int32') x.writeInt32LE(Number(v ?? 0));
        else x.writeUInt32LE(Number(v ?? 0) >>> 0);
        parts.push(x);
        break;
      }
      case 'UInt64':
      case 'HexInt64':
      case 'FILETIME':
      case 'Pointer': {
        const x = b(8);
        x.writeBigUInt64LE(BigInt((v as number | bigint | undefined) ?? 0));
        parts.push(x);
        break;
      }
      case 'UnicodeString':
        parts.push(Buffer.from(`${String(v ?? '')}\0`, 'utf16le'));
        break;
      case 'AnsiString':
        parts.push(Buffer.from(`${String(v ?? '')}\0`, 'latin1'));
        break;
      case 'SID': {
        // S-1-16-12288 (High Mandatory Level) unless given: revision, count, authority, sub-authorities.
        const [, rev, auth, ...subs] = String(v ?? 'S-1-16-12288').split('-');
        const x = b(8 + subs.length * 4);
        x.writeUInt8(Number(rev), 0);
        x.writeUInt8(subs.length, 1);
        x.writeUIntBE(Number(auth), 2, 6);
        subs.forEach((s, i) => x.writeUInt32LE(Number(s), 8 + i * 4));
        parts.push(x);
        break;
      }
      case 'GUID':
        parts.push(guidBytes(String(v ?? '00000000-0000-0000-0000-000000000000')));
        break;
      case 'Binary':
        parts.push(Buffer.from((v as Uint8Array | undefined) ?? new Uint8Array(typeof f.length === 'number' ? f.length : 0)));
        break;
    }
  }
  return Buffer.concat(parts);
}

/** A GUID's 16 bytes in Windows order. */
export function guidBytes(text: string): Buffer {
  const g = parseGuid(text);
  const x = Buffer.alloc(16);
  x.writeUInt32LE(g.Data1, 0);
  x.writeUInt16LE(g.Data2, 4);
  x.writeUInt16LE(g.Data3, 6);
  Buffer.from(g.Data4).copy(x, 8);
  return x;
}

/** ms since the epoch → FILETIME. */
export function filetime(ms: number): bigint {
  return BigInt(ms) * 10_000n + 116_444_736_000_000_000n;
}

/** The stand-in's test controls. */
export interface Standin {
  StandinReset(): void;
  StandinAddStaleSession(name: string): void;
  StandinStaleStops(): number;
  StandinFailNextStart(status: number): void;
  StandinSetLoss(events: number, buffers: number): void;
  StandinLogFileMode(): number;
  StandinProcessTraceMode(): number;
  StandinSessionActive(): number;
  StandinDelivered(): number;
  StandinProviderCount(): number;
  StandinProvider(i: number, out: Buffer): bigint | number;
  StandinProcessTraceOffStarterThread(): number;
  StandinQueueEvent(provider: Buffer, id: number, version: number, opcode: number, pid: number, tid: number, filetime: bigint, flags: number, data: Buffer, length: number): void;
}

/** Load the stand-in's controls (the same library the backend loads as advapi32). */
export function loadStandin(): Standin {
  const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
  const lib = koffi.load(STANDIN);
  return {
    StandinReset: lib.func('void StandinReset(void)'),
    StandinAddStaleSession: lib.func('void StandinAddStaleSession(str16 name)'),
    StandinStaleStops: lib.func('int StandinStaleStops(void)'),
    StandinFailNextStart: lib.func('void StandinFailNextStart(uint32_t status)'),
    StandinSetLoss: lib.func('void StandinSetLoss(uint32_t events, uint32_t buffers)'),
    StandinLogFileMode: lib.func('uint32_t StandinLogFileMode(void)'),
    StandinProcessTraceMode: lib.func('uint32_t StandinProcessTraceMode(void)'),
    StandinSessionActive: lib.func('int StandinSessionActive(void)'),
    StandinDelivered: lib.func('int StandinDelivered(void)'),
    StandinProviderCount: lib.func('int StandinProviderCount(void)'),
    StandinProvider: lib.func('uint64_t StandinProvider(int i, _Out_ uint8_t *out)'),
    StandinProcessTraceOffStarterThread: lib.func('int StandinProcessTraceOffStarterThread(void)'),
    StandinQueueEvent: lib.func('void StandinQueueEvent(const uint8_t *provider, uint16_t id, uint8_t version, uint8_t opcode, uint32_t pid, uint32_t tid, int64_t filetime, uint16_t flags, const uint8_t *data, uint16_t length)'),
  } as unknown as Standin;
}
