/**
 * `edrkit doctor`: what this host offers edrkit, and why a backend cannot run. Always
 * exits 0: it reports problems, it does not have them.
 *
 * @module
 */
import type { Command } from 'commander';
import { arch, platform, release, userInfo } from 'node:os';
import { OBSERVABLE_KINDS, reportBackends, type BackendReport } from '@edrkit/core';
import type { SandboxReport } from '@edrkit/plugins';
import pc from 'picocolors';
import { cliBackends } from '../backends.js';
import { reportError } from '../user-error.js';

/** Everything doctor found. */
export interface DoctorReport {
  node: string;
  /** `distribution` and other host facts come from the backends of this platform (their `host()`). */
  os: { platform: string; release: string; arch: string; distribution?: string };
  /** Who runs edrkit; whether that is enough is per backend (`backends[].privilege`). */
  user: { uid: number | null; name: string };
  backends: BackendReport[];
  /** Confinement layers a plugin child gets on this host (`held` or `unavailable:<reason>`). */
  pluginConfinement: SandboxReport;
}

/** Gather the report (exported for tests). */
export async function gatherDoctorReport(): Promise<DoctorReport> {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const backends = await reportBackends(cliBackends());
  const dist = backends.find((b) => b.host?.distribution)?.host?.distribution;
  return {
    node: process.version,
    os: { platform: platform(), release: release(), arch: arch(), ...(dist ? { distribution: dist } : {}) },
    user: { uid, name: safeUserName() },
    backends,
    // @edrkit/plugins is loaded here, not when the CLI starts (commands that never need it stay lighter).
    pluginConfinement: await (await import('@edrkit/plugins')).probeConfinement(),
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function printReport(r: DoctorReport, out: NodeJS.WritableStream): void {
  const line = (label: string, value: string) => out.write(`  ${label.padEnd(10)} ${value}\n`);
  out.write(`${pc.bold('edrkit doctor')}\n`);
  line('node', `${r.node} (${r.os.arch})`);
  line('os', `${r.os.platform} ${r.os.release}${r.os.distribution ? ` — ${r.os.distribution}` : ''}`);
  line('user', `${r.user.name} (uid ${r.user.uid ?? 'n/a'})`);
  out.write(`  backends\n`);
  const idWidth = Math.max(12, ...r.backends.map((b) => b.id.length));
  for (const b of r.backends) {
    const status = b.available ? pc.green('available') : pc.red('unavailable');
    out.write(`    ${b.id.padEnd(idWidth)} ${status}${b.default ? ' (default here)' : ''}${b.reason ? `: ${b.reason}` : ''}\n`);
    // The backend says what it needs; doctor does not guess from the uid.
    if (b.privilege) {
      const p = b.privilege;
      out.write(`      ${pc.dim('privilege:')} ${p.held ? `${pc.green('held')}${p.how ? ` (${p.how})` : ''}` : `${pc.yellow('missing')}${p.how ? ` (${p.how})` : ''} — needs ${p.needed}`}\n`);
    }
    if (!b.probe) continue;
    for (const [k, v] of Object.entries(b.probe.details ?? {})) out.write(`      ${pc.dim(`${k}:`)} ${String(v)}\n`);
    const supported = OBSERVABLE_KINDS.filter((k) => b.probe?.kinds[k]?.supported);
    out.write(`      ${pc.dim('kinds:')} ${supported.join(', ') || 'none'}\n`);
    // One line per reason: several kinds usually share one (e.g. tracefs, "Windows only").
    const byReason = new Map<string, string[]>();
    for (const k of OBSERVABLE_KINDS) {
      const s = b.probe.kinds[k];
      if (s && !s.supported) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), k]);
    }
    for (const [reason, kinds] of byReason) out.write(`      ${pc.dim('unsupported:')} ${kinds.join(', ')} — ${reason}\n`);
  }
  // Measured by starting a confined `node -e ''`, not inferred (docs/plugins.md explains each layer).
  out.write(`  plugin confinement\n`);
  for (const [layer, state] of Object.entries(r.pluginConfinement)) {
    out.write(`    ${layer.padEnd(12)} ${state === 'held' ? pc.green('held') : `${pc.yellow('unavailable')}: ${state.slice('unavailable:'.length)}`}\n`);
  }
}

/** Register `doctor`. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('report OS, kernel, privileges and which backends can run here (exits 0)')
    .option('--format <format>', 'pretty (default) or json')
    .action(async (flags: { format?: string }) => {
      try {
        const report = await gatherDoctorReport();
        if (flags.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else printReport(report, process.stdout);
        process.exitCode = 0;
      } catch (err) {
        reportError(err);
        process.exitCode = 0;
      }
    });
}
