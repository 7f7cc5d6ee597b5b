/**
 * linux-ebpf throughput: the pure decode+convert path (synthetic records), and, as root, the
 * live path kernel -> ring -> addon thread -> JS batches -> events, with a generator creating
 * files as fast as it can (kernel-filtered to the generator, so drops are all its own).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { OBSERVABLE_KINDS } from '@edrkit/core';
import { LinuxEbpfBackend } from '@edrkit/linux';
import { decodeBatch, ProcessCache, UserNames } from '@edrkit/linux/internal';
import { FILE_OP } from '../packages/linux/src/decode/layout.js';
import { batch, execRecord, fileRecord } from '../packages/linux/src/decode/record-builder.js';
import { RecordConverter } from '../packages/linux/src/events/to-events.js';

type Row = Record<string, string | number>;

function decodeBench(): Row {
  const h = { tsNs: 1e9, startNs: 5e8, pid: 10, ppid: 1, comm: 'bench' };
  const recs = [execRecord(h, { exe: { dentry: ['usr', 'bin', 'bench'] }, args: ['bench', '-x'] })];
  for (let i = 0; i < 999; i++) recs.push(fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o101, fmode: 0x100000, path: { dentry: ['tmp', 'bench', `f${i}`] } }));
  const b = batch(recs);
  const perRecord = Math.round(b.length / recs.length);
  const conv = new RecordConverter(new ProcessCache({ bootToEpochMs: (n) => n / 1e6, readProc: false, users: new UserNames() }), new Set(OBSERVABLE_KINDS), (n) => n / 1e6);
  const rounds = 200;
  const t0 = performance.now();
  let events = 0;
  for (let r = 0; r < rounds; r++) for (const rec of decodeBatch(b).records) events += conv.convert(rec).length;
  const ms = performance.now() - t0;
  return { case: 'decode + convert (synthetic, 1000-record batches)', records: rounds * 1000, events, 'records/s': Math.round((rounds * 1000) / (ms / 1000)), drops: 0, 'ring bytes/record': perRecord };
}

async function liveBench(ringBufferBytes: number): Promise<Row> {
  const N = 100_000;
  // tmpfs: on a disk-backed /tmp the generator itself (ext4 journal) is the bottleneck, not edrkit.
  const dir = mkdtempSync(existsSync('/dev/shm') ? '/dev/shm/edrkit-bench-' : '/tmp/edrkit-bench-');
  const gen = spawn('/usr/bin/python3', ['-c', [
    'import os,sys', 'd=sys.argv[1]; sys.stdin.readline()',
    `for i in range(${N}): os.close(os.open(d+"/f%d"%i, os.O_CREAT|os.O_WRONLY, 0o600))`,
    'print("done", flush=True); sys.stdin.readline()',
  ].join('\n'), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const backend = new LinuxEbpfBackend();
  let delivered = 0;
  let lost = 0;
  await backend.start(
    { kinds: ['file.create'], filter: { pids: [gen.pid!] }, signal: new AbortController().signal, backendOptions: { ringBufferBytes } },
    { push: (b) => void (delivered += b.length), lost: (n) => void (lost += n), error: () => {}, warn: () => {}, ready: () => Promise.resolve(), end: () => {} },
  );
  const done = new Promise<void>((r) => gen.stdout.on('data', (d: Buffer) => d.toString().includes('done') && r()));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage(); // this process: addon poll thread + JS
  gen.stdin.write('go\n');
  await done;
  const end = Date.now() + 5000;
  while (delivered + lost < N && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const { ringBytes = 0, received = 0 } = backend.stats();
  await backend.stop();
  gen.stdin.end();
  await new Promise((r) => gen.on('exit', r));
  rmSync(dir, { recursive: true, force: true });
  return {
    case: `live file.create, ring ${ringBufferBytes >> 10} KiB`,
    records: N,
    events: delivered,
    'records/s': Math.round(N / (ms / 1000)),
    drops: lost,
    'ring bytes/record': received ? Math.round(ringBytes / received) : 0,
    'consumer CPU µs/record': Number(((cpu.user + cpu.system) / N).toFixed(2)),
  };
}

/** Rows for bench/run.ts. */
export async function run(): Promise<Row[]> {
  const rows = [decodeBench()];
  if (process.platform === 'linux' && process.geteuid?.() === 0) {
    rows.push(await liveBench(8 << 20));
    rows.push(await liveBench(64 << 10));
  } else {
    rows.push({ case: 'live (skipped: needs root)', records: 0, events: 0, 'records/s': 0, drops: 0 });
  }
  return rows;
}
