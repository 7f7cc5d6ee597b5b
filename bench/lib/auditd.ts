/**
 * auditd as a comparison point: start the daemon when it is not running, add one rule for
 * the workload's syscalls, run, and put everything back (rule removed; a daemon we started
 * is stopped and auditing switched back off). When auditd cannot run here (not installed,
 * no kernel audit support, a container without CAP_AUDIT_CONTROL) the reason is returned
 * and the figure is reported as not measured.
 */
import { spawnSync } from 'node:child_process';
import { have } from './procs.js';

const KEY = 'edrkit-bench';

interface AuditStatus {
  enabled: number;
  pid: number;
}

function status(): AuditStatus | string {
  const r = spawnSync('auditctl', ['-s'], { encoding: 'utf8' });
  if (r.status !== 0) return `auditctl -s failed: ${(r.stderr || r.stdout || '').trim() || `exit ${r.status}`}`;
  const get = (k: string) => Number(new RegExp(`^${k} (\\d+)`, 'm').exec(r.stdout)?.[1] ?? Number.NaN);
  return { enabled: get('enabled'), pid: get('pid') };
}

function auditctl(args: string[]): string | undefined {
  const r = spawnSync('auditctl', args, { encoding: 'utf8' });
  return r.status === 0 ? undefined : `auditctl ${args.join(' ')}: ${(r.stderr || r.stdout || '').trim() || `exit ${r.status}`}`;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * Run `fn` with auditd recording `syscalls` (64-bit) for every process. Returns its result,
 * or `{ skipped: reason }` when auditd could not be set up.
 */
export async function withAuditRule<T>(syscalls: readonly string[], fn: () => Promise<T>): Promise<T | { skipped: string }> {
  if (!have('auditctl') || !have('auditd')) return { skipped: 'auditd not installed (apt-get install auditd)' };
  const before = status();
  if (typeof before === 'string') return { skipped: before };
  let startedPid = 0;
  if (!before.pid) {
    const r = spawnSync('auditd', [], { encoding: 'utf8' });
    if (r.status !== 0) return { skipped: `auditd did not start: ${(r.stderr || '').trim() || `exit ${r.status}`}` };
    for (let i = 0; i < 40; i++) {
      const s = status();
      if (typeof s !== 'string' && s.pid) {
        startedPid = s.pid;
        break;
      }
      await sleep(50);
    }
    if (!startedPid) return { skipped: 'auditd did not register with the kernel within 2 s' };
  }
  const rule = ['always,exit', '-F', 'arch=b64', ...syscalls.flatMap((s) => ['-S', s]), '-k', KEY];
  try {
    const err = auditctl(['-e', '1']) ?? auditctl(['-a', ...rule]);
    if (err) return { skipped: err };
    try {
      return await fn();
    } finally {
      auditctl(['-d', ...rule]);
    }
  } finally {
    if (startedPid) {
      process.kill(startedPid, 'SIGTERM');
      for (let i = 0; i < 40 && (status() as AuditStatus).pid; i++) await sleep(50);
    }
    auditctl(['-e', String(before.enabled)]);
  }
}
