/**
 * Child processes of the bench: the load generator, the C consumer and the monitors it is
 * compared with (edrkit's CLI, libbpf-tools, auditd), and what the bench reads about them
 * from /proc (attached BPF links, peak RSS).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';

// Every child the bench starts: killed when the bench exits, even after a failed suite.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

/** Remember a child so that it cannot outlive the bench. */
export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A line-reading view of a child's stdout: `next(prefix)` resolves with the next line starting with it. */
export class Lines {
  private readonly seen: string[] = [];
  private readonly waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  private closed = false;

  constructor(readonly child: ChildProcess, readonly what: string) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const i = this.waiters.findIndex((w) => line.startsWith(w.prefix));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(line);
      else this.seen.push(line);
    });
    child.on('exit', () => (this.closed = true));
  }

  /** The next line starting with `prefix` (already seen or still to come); rejects after `timeoutMs`. */
  next(prefix: string, timeoutMs = 120_000): Promise<string> {
    const i = this.seen.findIndex((l) => l.startsWith(prefix));
    if (i >= 0) return Promise.resolve(this.seen.splice(i, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.what}: no '${prefix}' line within ${timeoutMs} ms${this.closed ? ' (it exited)' : ''}`)), timeoutMs);
      this.waiters.push({ prefix, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  }
}

/** What the load generator said when done. */
export interface LoadgenDone {
  events: number;
  elapsedNs: number;
  /** CLOCK_MONOTONIC ns (the clock of process.hrtime) when the workload began. */
  startNs: bigint;
}

/** A started `edrkit-loadgen --wait …`: its pid is known before it does anything. */
export class Loadgen {
  readonly child: ChildProcess;
  private readonly lines: Lines;
  pid = 0;

  constructor(bin: string, args: string[]) {
    this.child = track(spawn(bin, ['--wait', ...args], { stdio: ['pipe', 'pipe', 'inherit'] }));
    this.lines = new Lines(this.child, 'edrkit-loadgen');
  }

  /** Wait for "ready <pid>". */
  async ready(): Promise<number> {
    this.pid = Number((await this.lines.next('ready ')).split(' ')[1]);
    return this.pid;
  }

  /** Start the workload and wait for it to finish. */
  async go(): Promise<LoadgenDone> {
    this.child.stdin!.write('go\n');
    const [, events, elapsed, start] = (await this.lines.next('done ')).split(' ');
    await exited(this.child);
    return { events: Number(events), elapsedNs: Number(elapsed), startNs: BigInt(start!) };
  }
}

/** Run the workload once with nothing to wait for: its wall time in seconds. */
export async function runWorkload(bin: string, args: string[]): Promise<LoadgenDone> {
  const g = new Loadgen(bin, args);
  await g.ready();
  return g.go();
}

/** Resolves when the child has exited. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** BPF links (and perf-event attachments) a process holds open: how we see that a monitor is attached. */
export function attachments(pid: number): number {
  let n = 0;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.includes('bpf_link') || target.includes('perf_event')) n++;
      } catch {
        // closed while we looked
      }
    }
  } catch {
    return -1; // gone
  }
  return n;
}

/** Wait until `pid` holds attachments and their count has not changed for `stableMs`. */
export async function waitAttached(pid: number, what: string, timeoutMs = 60_000, stableMs = 400): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = 0;
  let since = Date.now();
  while (Date.now() < end) {
    const n = attachments(pid);
    if (n < 0) throw new Error(`${what} exited before attaching`);
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (n > 0 && Date.now() - since >= stableMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not attached within ${timeoutMs} ms`);
}

/** Resident set now (VmRSS) of a live process, in MB. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** Peak resident set (VmHWM) of a live process, in MB. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

/** A fresh directory on tmpfs (the workload must not measure a disk journal). */
export function scratchDir(tag: string): string {
  return mkdtempSync(`/dev/shm/edrkit-bench-${tag}-`);
}

/** Remove a scratch directory (hundreds of thousands of files: rm is faster than fs.rmSync). */
export function removeDir(dir: string): void {
  if (spawnSync('rm', ['-rf', dir]).status !== 0) rmSync(dir, { recursive: true, force: true });
}

/** Ask a monitor to stop (SIGINT, like Ctrl-C), wait up to `ms`, then SIGKILL. */
export async function stop(child: ChildProcess, ms = 15_000): Promise<void> {
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited(child);
  clearTimeout(timer);
}

/** True when `cmd` is on PATH. */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
