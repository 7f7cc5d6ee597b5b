/**
 * Collects edrkit fields that have no home in the target schema, so they are kept
 * (OCSF `unmapped`, ECS `edrkit.*`) instead of being dropped.
 *
 * @module
 */

/** A bag of leftover fields keyed by their edrkit field path (`process.signer`, `signal`, …). */
export class Leftovers {
  readonly #fields: Record<string, unknown> = {};

  /** Keep `value` under `path` unless it is `undefined`. */
  add(path: string, value: unknown): void {
    if (value !== undefined) this.#fields[path] = value;
  }

  /** The collected fields, or `undefined` when there are none. */
  toObject(): Record<string, unknown> | undefined {
    return Object.keys(this.#fields).length > 0 ? { ...this.#fields } : undefined;
  }
}

/** A copy of `value` without `undefined` properties (recursively), so records serialise as they look. */
export function compact<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => compact(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = compact(v);
    return out as T;
  }
  return value;
}
