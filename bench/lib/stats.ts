/**
 * The bench's arithmetic: percentiles (nearest rank), medians and ratios. Kept apart so the
 * unit tests (test/bench/stats.test.ts) check it; the bench itself is not part of `npm test`.
 */

/** The p-th percentile (0 < p <= 100) by nearest rank; NaN for no values. Sorts a copy. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)]!;
}

/** The median (mean of the two middle values for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** a / b rounded to 3 decimals; null when either is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return null;
  return Math.round((a / b) * 1000) / 1000;
}

/** Events a consumer did not account for: generated - delivered - counted drops - coalesced, never below 0. */
export function uncounted(generated: number, delivered: number, counted: number, coalesced = 0): number {
  return Math.max(0, generated - delivered - counted - coalesced);
}
