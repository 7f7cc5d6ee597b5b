/**
 * The Linux pipeline side by side with a C consumer, libbpf-tools and auditd (issue 18), as
 * root: throughput and drop accounting, overhead on a fixed workload, kernel → JS latency at
 * a steady rate, peak RSS of `edrkit watch`. Every figure is a ratio or count measured within
 * this run (the machine is shared and noisy: absolute times vary by 2× between runs).
 * `--quick` uses smaller workloads and one repetition instead of the median of three.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EdrEvent } from '@edrkit/core';
import { buildBenchNative } from './build-bench-native.mjs';
import { withAuditRule } from './lib/auditd.js';
import { CConsumer } from './lib/c-consumer.js';
import { consumeUntil, openLibrarySensor } from './lib/library-sensor.js';
import { startCConsumer, startCli, startLibbpfTool, startLibrary, type Monitor } from './lib/monitors.js';
import { Loadgen, peakRssMb, removeDir, rssMb, runWorkload, scratchDir } from './lib/procs.js';
import type { PartialResults } from './lib/results.js';
import { median, percentile, ratio, uncounted } from './lib/stats.js';

type Row = Record<string, string | number>;
type Bins = { loadgen: string; cConsumer: string };
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REC_FILE = 4; // EDRKIT_REC_FILE (native/linux/edrkit.h)

const createdIn = (dir: string) => (e: EdrEvent) => e.kind === 'file.create' && e.file.path.startsWith(`${dir}/`);
const sec = (ns: bigint | number) => Number(ns) / 1e9;
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

/** One run of each consumer on an open/create storm of `n` files, filtered in the kernel to the generator. */
async function throughputOnce(bins: Bins, n: number) {
  const dirA = scratchDir('tp');
  const a = new Loadgen(bins.loadgen, ['open', String(n), dirA]);
  const { sensor, native } = await openLibrarySensor({ pids: [await a.ready()] });
  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  const consuming = consumeUntil(sensor, { match: createdIn(dirA), expected: n, started });
  const cpu0 = process.cpuUsage();
  const doneA = await a.go();
  go();
  const seen = await consuming;
  const cpu = process.cpuUsage(cpu0);
  const st = sensor.stats();
  await sensor.close();
  removeDir(dirA);
  const counted = st.dropped.kernel + st.dropped.backend + st.dropped.queue;
  const edrkit = { eps: seen.matched / sec(seen.lastNs - doneA.startNs), delivered: seen.matched, kernel: st.dropped.kernel, queue: st.dropped.queue + st.dropped.backend, counted, generated: doneA.events, cpuUs: (cpu.user + cpu.system) / n };

  const dirB = scratchDir('tp');
  const b = new Loadgen(bins.loadgen, ['open', String(n), dirB]);
  const c = new CConsumer(bins.cConsumer, native, { pids: [await b.ready()], expect: n, recordType: REC_FILE });
  await c.ready();
  const doneB = await b.go();
  const got = await c.done();
  removeDir(dirB);
  const cRes = { eps: got.typed / sec(got.lastNs - doneB.startNs), delivered: got.typed, kernel: got.drops, counted: got.drops + got.coalesced, generated: doneB.events, cpuUs: got.cpuUs / n };
  return { edrkit, c: cRes };
}

async function throughput(bins: Bins, n: number, reps: number): Promise<{ rows: Row[]; part: PartialResults }> {
  const runs = [];
  for (let i = 0; i < reps; i++) runs.push(await throughputOnce(bins, n));
  const e = runs.map((r) => r.edrkit);
  const c = runs.map((r) => r.c);
  const eEps = median(e.map((r) => r.eps));
  const cEps = median(c.map((r) => r.eps));
  const counted = e.reduce((s, r) => s + r.counted, 0);
  const unc = e.reduce((s, r) => s + uncounted(r.generated, r.delivered, r.counted), 0) + c.reduce((s, r) => s + uncounted(r.generated, r.delivered, r.counted), 0);
  const row = (who: string, rs: typeof c | typeof e, eps: number): Row => ({
    consumer: who,
    generated: rs.reduce((s, r) => s + r.generated, 0),
    delivered: rs.reduce((s, r) => s + r.delivered, 0),
    'kernel drops': rs.reduce((s, r) => s + r.kernel, 0),
    'queue drops': rs.reduce((s, r) => s + ('queue' in r ? r.queue : 0), 0),
    uncounted: rs.reduce((s, r) => s + uncounted(r.generated, r.delivered, r.counted), 0),
    'events/s (median)': Math.round(eps),
    'vs C': ratio(eps, cEps) ?? '',
  });
  const rows = [row(`edrkit library (typed JS events), ${reps}× ${n} creates`, e, eEps), row(`C consumer (libbpf, counts records), ${reps}× ${n} creates`, c, cEps)];
  // While both keep up, events/s is the generator's pace; CPU per event is the consumers' own cost.
  rows[0]!['consumer CPU µs/event'] = round(median(e.map((r) => r.cpuUs)), 2);
  rows[1]!['consumer CPU µs/event'] = round(median(c.map((r) => r.cpuUs)), 2);
  return { rows, part: { throughput: { edrkit_eps: Math.round(eEps), c_eps: Math.round(cEps), ratio: ratio(eEps, cEps) }, drops: { counted, uncounted: unc } } };
}

type Workload = { name: string; args: () => string[]; cleanup?: () => void; tool: 'opensnoop' | 'execsnoop'; syscalls: string[] };

/** Wall time of each workload unmonitored and under each monitor, interleaved, medians of `reps`. */
async function overhead(bins: Bins, workloads: Workload[], reps: number): Promise<{ rows: Row[]; part: PartialResults }> {
  const rows: Row[] = [];
  const part: PartialResults = { overhead: {} };
  for (const w of workloads) {
    const times: Record<string, number[]> = {};
    const notes: Record<string, string> = {};
    const drops: Record<string, number> = {};
    const add = (k: string, s: number) => (times[k] ??= []).push(s);
    const run = async () => {
      const dirArgs = w.args();
      try {
        return sec((await runWorkload(bins.loadgen, dirArgs)).elapsedNs);
      } finally {
        w.cleanup?.();
      }
    };
    const under = async (name: string, start: () => Promise<Monitor> | undefined) => {
      const p = start();
      if (!p) return void (notes[name] = 'not measured: not installed');
      let m: Monitor;
      try {
        m = await p;
      } catch (err) {
        return void (notes[name] = `not measured: ${(err as Error).message}`);
      }
      add(name, await run());
      const r = await m.stop();
      drops[name] = (drops[name] ?? 0) + (r.drops ?? 0);
    };
    for (let i = 0; i < reps; i++) {
      add('unmonitored', await run());
      await under('edrkit library', startLibrary);
      await under('C consumer of the same BPF object', () => startCConsumer(bins.cConsumer));
      await under('edrkit watch --format json', startCli);
      await under(w.tool, () => startLibbpfTool(w.tool));
      const audit = await withAuditRule(w.syscalls, async () => add('auditd', await run()));
      if (audit && typeof audit === 'object' && 'skipped' in audit) notes['auditd'] = `not measured: ${audit.skipped}`;
    }
    const base = median(times['unmonitored'] ?? []);
    const cfgs = ['unmonitored', 'C consumer of the same BPF object', 'edrkit library', 'edrkit watch --format json', w.tool, 'auditd'];
    for (const k of cfgs) {
      const t = times[k];
      rows.push({ workload: w.name, monitor: k, 'wall s (median)': t ? round(median(t), 3) : '', 'vs unmonitored': t ? (ratio(median(t), base) ?? '') : notes[k] ?? '', 'counted drops': k in drops ? drops[k]! : '' });
    }
    if (w.tool === 'opensnoop') {
      part.overhead = {
        edrkit_ratio: ratio(median(times['edrkit watch --format json'] ?? []), base),
        opensnoop_ratio: ratio(median(times['opensnoop'] ?? []), base),
        auditd_ratio: ratio(median(times['auditd'] ?? []), base),
      };
    }
  }
  return { rows, part };
}

/**
 * A process rewriting one file `n` times (a log writer): wall time unmonitored and with the
 * library sensor (kernel-filtered to the generator) without and with in-kernel coalescing,
 * and the accounting: delivered + folded + dropped = opens.
 */
async function coalescing(bins: Bins, n: number): Promise<{ rows: Row[] }> {
  const rows: Row[] = [];
  const dir = scratchDir('coal');
  const file = `${dir}/app.log`;
  const base = sec((await runWorkload(bins.loadgen, ['modify', String(n), file])).elapsedNs);
  rows.push({ case: `${n} open+write+close of one file`, monitor: 'unmonitored', 'wall s': round(base, 3), 'vs unmonitored': 1 });
  for (const coalesceMs of [0, 100]) {
    const g = new Loadgen(bins.loadgen, ['modify', String(n), file]);
    const { sensor } = await openLibrarySensor({ pids: [await g.ready()] }, coalesceMs ? { coalesceMs } : {});
    let go!: () => void;
    const started = new Promise<void>((r) => (go = r));
    const mine = (e: EdrEvent) => (e.kind === 'file.modify' || e.kind === 'file.create') && e.file.path === file;
    const consuming = consumeUntil(sensor, { match: mine, expected: n, started, idleMs: 1000 });
    const done = await g.go();
    go();
    const seen = await consuming;
    const st = sensor.stats();
    await sensor.close();
    const folded = st.backend['coalesced'] ?? 0;
    const drops = st.dropped.kernel + st.dropped.backend + st.dropped.queue;
    const t = sec(done.elapsedNs);
    rows.push({
      case: `${n} open+write+close of one file`,
      monitor: coalesceMs ? `edrkit library, coalesceMs ${coalesceMs}` : 'edrkit library, no coalescing',
      'wall s': round(t, 3),
      'vs unmonitored': ratio(t, base) ?? '',
      events: seen.matched,
      coalesced: folded,
      'counted drops': drops,
      uncounted: uncounted(done.events, seen.matched, drops, folded),
    });
  }
  removeDir(dir);
  return { rows };
}

/** Kernel timestamp → JS delivery at a paced `rate` for `seconds`. */
async function latency(bins: Bins, rate: number, seconds: number): Promise<{ rows: Row[]; part: PartialResults }> {
  const n = rate * seconds;
  const dir = scratchDir('lat');
  const g = new Loadgen(bins.loadgen, ['open', String(n), dir, String(n), String(rate)]);
  const { sensor } = await openLibrarySensor({ pids: [await g.ready()] });
  const lat: number[] = [];
  let go!: () => void;
  const started = new Promise<void>((r) => (go = r));
  const consuming = consumeUntil(sensor, { match: createdIn(dir), expected: n, started, onMatch: (e) => lat.push(performance.timeOrigin + performance.now() - e.time) });
  const done = await g.go();
  go();
  const seen = await consuming;
  const st = sensor.stats();
  await sensor.close();
  removeDir(dir);
  const p50 = percentile(lat, 50);
  const p99 = percentile(lat, 99);
  const achieved = done.events / sec(done.elapsedNs);
  return {
    rows: [{ case: `${n} creates paced at ${rate}/s (achieved ${Math.round(achieved)}/s)`, delivered: seen.matched, 'kernel drops': st.dropped.kernel, 'p50 ms': round(p50, 3), 'p99 ms': round(p99, 3), 'max ms': round(percentile(lat, 100), 3) }],
    part: { latency: { p50_ms: round(p50, 3), p99_ms: round(p99, 3) } },
  };
}

/** Peak RSS of `edrkit watch --format json > /dev/null` while `n` events stream through it. */
async function memory(bins: Bins, n: number): Promise<{ rows: Row[]; part: PartialResults }> {
  const m = await startCli();
  await new Promise((r) => setTimeout(r, 1000)); // start-up garbage collected: the idle figure
  const idle = rssMb(m.pid!);
  const dir = scratchDir('mem');
  const done = await runWorkload(bins.loadgen, ['open', String(n), dir]);
  await new Promise((r) => setTimeout(r, 1500)); // let the CLI drain what is queued
  const peak = peakRssMb(m.pid!);
  const r = await m.stop();
  removeDir(dir);
  return {
    rows: [{ case: `edrkit watch --format json > /dev/null, ${done.events} creates (system-wide)`, 'events written': r.events ?? '', 'counted drops': r.drops ?? '', 'idle RSS MB (attached)': round(idle, 1), 'peak RSS MB': round(peak, 1) }],
    part: { memory: { peak_rss_mb: round(peak, 1) } },
  };
}

/** Rows and results for bench/run.ts. */
export async function run(opts: { quick?: boolean } = {}): Promise<{ rows?: Row[]; tables?: { title: string; rows: Row[] }[]; results: PartialResults }> {
  if (process.platform !== 'linux' || process.geteuid?.() !== 0) return { rows: [{ note: 'skipped: needs root on Linux' }], results: {} };
  const quick = !!opts.quick;
  const bins = buildBenchNative();
  execFileSync('npx', ['tsc', '-b'], { cwd: root, stdio: 'inherit' }); // the CLI runs from dist/
  const reps = quick ? 1 : 3;
  const execDirs: string[] = [];
  const workloads: Workload[] = [
    {
      name: `${quick ? '100k' : '500k'} open/close (new files, /dev/shm)`,
      args: () => {
        const d = scratchDir('ovh');
        execDirs.push(d);
        return ['open', String(quick ? 100_000 : 500_000), d];
      },
      cleanup: () => execDirs.splice(0).forEach(removeDir),
      tool: 'opensnoop',
      syscalls: ['open', 'openat', 'openat2', 'creat'],
    },
    { name: `${quick ? '1000' : '2000'} fork+exec /bin/true`, args: () => ['exec', String(quick ? 1000 : 2000)], tool: 'execsnoop', syscalls: ['execve', 'execveat'] },
  ];
  // BENCH_PIPELINE=throughput,latency runs only those sections.
  const want = (s: string) => !process.env['BENCH_PIPELINE'] || process.env['BENCH_PIPELINE'].split(',').includes(s);
  const none = { rows: [] as Row[], part: {} as PartialResults };
  // A failing section becomes one row saying why; the others still run and report.
  const section = async (name: string, f: () => Promise<{ rows: Row[]; part?: PartialResults }>) => {
    if (!want(name)) return none;
    try {
      return { part: {}, ...(await f()) };
    } catch (err) {
      return { rows: [{ failed: `${name}: ${(err as Error).message}` }], part: {} };
    }
  };
  const t = await section('throughput', () => throughput(bins, quick ? 200_000 : 500_000, reps));
  const o = await section('overhead', () => overhead(bins, workloads, reps));
  const c = await section('coalescing', () => coalescing(bins, quick ? 100_000 : 500_000));
  const l = await section('latency', () => latency(bins, 100_000, quick ? 1 : 3));
  const m = await section('memory', () => memory(bins, 1_000_000));
  const tables = [
    { title: 'throughput (same BPF object and config, kernel-filtered to the generator)', rows: t.rows },
    { title: 'overhead on the workload (system-wide monitors, default kinds; shared 2-core machine)', rows: o.rows },
    { title: 'coalescing of repeated opens (backendOptions.coalesceMs)', rows: c.rows },
    { title: 'latency, kernel timestamp → JS event', rows: l.rows },
    { title: 'memory', rows: m.rows },
  ];
  return { tables: tables.filter((x) => x.rows.length), results: { ...t.part, ...o.part, ...l.part, ...m.part } };
}
