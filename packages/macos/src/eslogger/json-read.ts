/**
 * Small readers over parsed JSON of unknown shape. eslogger's format is not an API (Apple
 * changes it between releases), so the decoder reads only the fields it maps, each through
 * one of these, and ignores everything else: a field added by a later macOS never breaks
 * decoding, a field it needs that is missing or of the wrong type is an {@link EsRecordError}
 * naming its path.
 *
 * @module
 */
import { EsRecordError } from './record-error.js';

/** A JSON object. */
export type Json = Record<string, unknown>;

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** True for a plain JSON object (not null, not an array). */
export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at `obj[key]`; throws naming `path.key` when it is missing or not an object. */
export function obj(o: Json, key: string, path: string): Json {
  const v = o[key];
  if (!isObject(v)) throw new EsRecordError(join(path, key), v === undefined ? 'missing (expected an object)' : `expected an object, got ${typeName(v)}`);
  return v;
}

/** The object at `obj[key]`, or undefined when absent or null. */
export function optObj(o: Json, key: string, path: string): Json | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new EsRecordError(join(path, key), `expected an object, got ${typeName(v)}`);
  return v;
}

/** The string at `obj[key]`. */
export function str(o: Json, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new EsRecordError(join(path, key), v === undefined ? 'missing (expected a string)' : `expected a string, got ${typeName(v)}`);
  return v;
}

/** The string at `obj[key]`, or undefined when absent or null. */
export function optStr(o: Json, key: string, path: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new EsRecordError(join(path, key), `expected a string, got ${typeName(v)}`);
  return v;
}

/** The non-negative integer at `obj[key]` (ES ids, counters, modes). */
export function uint(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new EsRecordError(join(path, key), v === undefined ? 'missing (expected a non-negative integer)' : `expected a non-negative integer, got ${typeof v === 'number' ? v : typeName(v)}`);
  }
  return v;
}

/** The non-negative integer at `obj[key]`, or undefined when absent or null. */
export function optUint(o: Json, key: string, path: string): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  return uint(o, key, path);
}

/** The integer at `obj[key]` (may be negative: wait statuses, error codes). */
export function int(o: Json, key: string, path: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new EsRecordError(join(path, key), v === undefined ? 'missing (expected an integer)' : `expected an integer, got ${typeof v === 'number' ? v : typeName(v)}`);
  }
  return v;
}

/** The boolean at `obj[key]`, or undefined when absent or null. */
export function optBool(o: Json, key: string, path: string): boolean | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new EsRecordError(join(path, key), `expected a boolean, got ${typeName(v)}`);
  return v;
}

/** The array of strings at `obj[key]`, or undefined when absent or null. */
export function optStrings(o: Json, key: string, path: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new EsRecordError(join(path, key), `expected an array of strings, got ${typeName(v)}`);
  v.forEach((s, i) => {
    if (typeof s !== 'string') throw new EsRecordError(`${join(path, key)}[${i}]`, `expected a string, got ${typeName(s)}`);
  });
  return v as string[];
}

/** `path.key` (or `key` at the top). */
export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * An RFC 3339 time as eslogger writes it (`2025-08-07T13:21:35.880814738Z`, nanoseconds) →
 * milliseconds since the epoch, fractional, kept to the microsecond (the model's resolution).
 */
export function isoTime(o: Json, key: string, path: string): number {
  const s = str(o, key, path);
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  const whole = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(whole) || whole < 0) throw new EsRecordError(join(path, key), `expected an RFC 3339 time after 1970, got ${JSON.stringify(s.slice(0, 40))}`);
  const micros = Number((m[2] ?? '').padEnd(6, '0').slice(0, 6));
  return whole + micros / 1000;
}
