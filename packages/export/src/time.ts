/**
 * Conversions of edrkit's fractional millisecond times.
 *
 * @module
 */

/** The largest time a JavaScript `Date` can hold (ms since the epoch). */
export const MAX_DATE_MS = 8.64e15;

/**
 * Integer milliseconds for OCSF `timestamp_t` (sub-millisecond digits are cut, not rounded,
 * so an event never moves to a later millisecond). Times past the `Date` range are clamped.
 */
export function toIntegerMs(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.floor(Math.min(ms, MAX_DATE_MS));
}

/** True when `ms` loses information in {@link toIntegerMs} (a fraction, or out of range). */
export function losesPrecision(ms: number): boolean {
  return toIntegerMs(ms) !== ms;
}

/** The last instant with a four-digit year (9999-12-31T23:59:59.999Z); later years need RFC 3339-breaking `+YYYYYY`. */
export const MAX_ISO_MS = 253402300799999;

/** True when {@link toIsoMicros} cannot represent `ms` (past year 9999) and clamps it. */
export function beyondIso(ms: number): boolean {
  return !(ms <= MAX_ISO_MS);
}

/**
 * RFC 3339 UTC timestamp with microseconds, e.g. `2024-05-01T12:00:00.123456Z`
 * (ECS `@timestamp`; Elasticsearch `date_nanos` keeps all six digits). Times past year 9999
 * are clamped to its last millisecond (callers keep the original, see {@link beyondIso}).
 */
export function toIsoMicros(ms: number): string {
  const clamped = beyondIso(ms) ? MAX_ISO_MS : ms;
  const whole = toIntegerMs(clamped);
  const micros = Number.isFinite(clamped) && clamped >= 0 ? Math.floor((clamped - whole) * 1000) : 0;
  const iso = new Date(whole).toISOString(); // …ss.mmmZ
  return `${iso.slice(0, -1)}${String(Math.min(Math.max(micros, 0), 999)).padStart(3, '0')}Z`;
}
