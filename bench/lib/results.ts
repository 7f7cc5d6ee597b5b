/**
 * The machine-readable results of `npm run bench -- --json FILE`: exactly the keys of issue
 * 18, every value a number, or null when the figure was not measured on this run (the
 * printed tables say why, e.g. auditd could not start). Suites return parts of it; run.ts
 * merges them.
 */

/** The JSON file's shape. */
export interface BenchResults {
  throughput: { edrkit_eps: number | null; c_eps: number | null; ratio: number | null };
  overhead: { edrkit_ratio: number | null; auditd_ratio: number | null; opensnoop_ratio: number | null };
  latency: { p50_ms: number | null; p99_ms: number | null };
  memory: { peak_rss_mb: number | null };
  drops: { counted: number | null; uncounted: number | null };
  sigma: { eps: number | null };
}

/** What one suite contributes: any groups, any keys. */
export type PartialResults = { [G in keyof BenchResults]?: Partial<BenchResults[G]> };

/** Every key present, every value null (not measured). */
export function emptyResults(): BenchResults {
  return {
    throughput: { edrkit_eps: null, c_eps: null, ratio: null },
    overhead: { edrkit_ratio: null, auditd_ratio: null, opensnoop_ratio: null },
    latency: { p50_ms: null, p99_ms: null },
    memory: { peak_rss_mb: null },
    drops: { counted: null, uncounted: null },
    sigma: { eps: null },
  };
}

/**
 * Fold `part` into `into` (in place; returns it). Only the known keys are taken, and only
 * finite numbers or null: a typo or a NaN in a suite cannot change the file's shape.
 */
export function mergeResults(into: BenchResults, part: PartialResults): BenchResults {
  for (const group of Object.keys(into) as (keyof BenchResults)[]) {
    const src = part[group] as Record<string, unknown> | undefined;
    if (!src) continue;
    const dst = into[group] as Record<string, number | null>;
    for (const key of Object.keys(dst)) {
      if (!(key in src)) continue;
      const v = src[key];
      dst[key] = typeof v === 'number' && Number.isFinite(v) ? v : null;
    }
  }
  return into;
}
