/**
 * Audit tokens in eslogger output. Up to message version 9 eslogger writes an object
 * (`{ auid, euid, egid, ruid, rgid, pid, asid, pidversion }`); version 10 (macOS 26) writes
 * the 8 raw `audit_token_t.val` words as an array. The array order is the kernel's
 * (`audit_token_to_au32` in libbsm: auid, euid, egid, ruid, rgid, pid, asid, pidversion),
 * which the corpus's macOS 26 capture agrees with (the pid at index 5 is the process's pid).
 *
 * @module
 */
import { EsRecordError } from './record-error.js';
import { isObject, join, uint } from './json-read.js';

/** An audit token, by field. */
export interface AuditToken {
  auid: number;
  euid: number;
  egid: number;
  ruid: number;
  rgid: number;
  pid: number;
  asid: number;
  pidversion: number;
}

/** The field order of the raw `audit_token_t.val` array. */
export const AUDIT_TOKEN_FIELDS = ['auid', 'euid', 'egid', 'ruid', 'rgid', 'pid', 'asid', 'pidversion'] as const;

/** Read an audit token written either way; throws naming the path when it is neither. */
export function readAuditToken(v: unknown, path: string): AuditToken {
  if (Array.isArray(v)) {
    if (v.length !== 8) throw new EsRecordError(path, `expected 8 integers (audit_token_t), got an array of ${v.length}`);
    const token = {} as AuditToken;
    AUDIT_TOKEN_FIELDS.forEach((f, i) => {
      const n = v[i];
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) {
        throw new EsRecordError(`${path}[${i}]`, `expected a 32-bit unsigned integer (${f}), got ${JSON.stringify(n)}`);
      }
      token[f] = n;
    });
    return token;
  }
  if (isObject(v)) {
    const token = {} as AuditToken;
    for (const f of AUDIT_TOKEN_FIELDS) token[f] = uint(v, f, path);
    return token;
  }
  throw new EsRecordError(path, v === undefined ? 'missing (expected an audit token)' : `expected an audit token (object or 8-integer array), got ${v === null ? 'null' : typeof v}`);
}

/** `audit_token` of an object at `key`. */
export function auditTokenAt(o: Record<string, unknown>, key: string, path: string): AuditToken {
  return readAuditToken(o[key], join(path, key));
}

/** AUDIT_UID_UNSET / AU_DEFAUDITID: "no audit user". */
export const AUID_UNSET = 0xffffffff;
