/**
 * The pieces of `npm run bench` that must be right for its figures to mean anything: the
 * JSON file's exact shape (issue 18's keys, numbers or null), percentile and ratio math, the
 * drop accounting, and the parsing of the CLI's closing stats line.
 */
import { describe, expect, it } from 'vitest';
import { parseStatsLine } from '../../bench/lib/monitors.js';
import { emptyResults, mergeResults } from '../../bench/lib/results.js';
import { median, percentile, ratio, uncounted } from '../../bench/lib/stats.js';

const KEYS = [
  'throughput.edrkit_eps', 'throughput.c_eps', 'throughput.ratio',
  'overhead.edrkit_ratio', 'overhead.auditd_ratio', 'overhead.opensnoop_ratio',
  'latency.p50_ms', 'latency.p99_ms', 'memory.peak_rss_mb', 'drops.counted', 'drops.uncounted', 'sigma.eps',
];

const flatKeys = (o: Record<string, Record<string, unknown>>) => Object.entries(o).flatMap(([g, v]) => Object.keys(v).map((k) => `${g}.${k}`));

describe('bench results file', () => {
  it('has exactly the keys of issue 18, all null until measured', () => {
    const r = emptyResults();
    expect(flatKeys(r as never).sort()).toEqual([...KEYS].sort());
    expect(Object.values(r).flatMap((g) => Object.values(g))).toEqual(KEYS.map(() => null));
  });

  it('merges only known keys and only finite numbers', () => {
    const r = mergeResults(emptyResults(), { throughput: { edrkit_eps: 1000, ratio: Number.NaN }, sigma: { eps: 5e5 } });
    mergeResults(r, { latency: { p50_ms: 1.5, extra: 3 } as never, bogus: { x: 1 } } as never);
    expect(r.throughput).toEqual({ edrkit_eps: 1000, c_eps: null, ratio: null });
    expect(r.sigma.eps).toBe(5e5);
    expect(r.latency).toEqual({ p50_ms: 1.5, p99_ms: null });
    expect(flatKeys(r as never).sort()).toEqual([...KEYS].sort());
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('bench stats', () => {
  it('percentile by nearest rank, unsorted input', () => {
    const v = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1
    expect(percentile(v, 50)).toBe(50);
    expect(percentile(v, 99)).toBe(99);
    expect(percentile(v, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile(v, 0)).toThrow(RangeError);
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('ratio rounds to 3 decimals and is null without a base', () => {
    expect(ratio(3.62, 2)).toBe(1.81);
    expect(ratio(1, 3)).toBe(0.333);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 2)).toBeNull();
  });

  it('uncounted: what neither delivery, drops nor coalescing account for', () => {
    expect(uncounted(500_000, 380_000, 120_000)).toBe(0);
    expect(uncounted(500_000, 380_000, 100_000)).toBe(20_000);
    expect(uncounted(1001, 3, 0, 998)).toBe(0);
    expect(uncounted(10, 12, 0)).toBe(0); // extra events (another process) are not negative losses
  });

  it('reads the CLI stats line', () => {
    const line = 'edrkit: 965928 events delivered in 9.1s; 965930 received = 2 filtered + 965928 delivered + 5 dropped (queue full) + 0 unsent (output closed or stream ended first); dropped before the sensor: kernel 34083, backend 1';
    expect(parseStatsLine(line)).toEqual({ events: 965928, drops: 34089 });
    expect(parseStatsLine('nothing')).toEqual({});
  });
});
