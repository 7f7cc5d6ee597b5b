/**
 * `edrkit sigma lint PATH…`: load Sigma rules and report, per rule, whether edrkit can
 * run it (`ok`, `not-applicable`, `unsupported`, `invalid`) and why not.
 *
 * @module
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from '@edrkit/core';
import type { LoadedRule } from '@edrkit/sigma';
import { EXIT, reportError } from '../user-error.js';

interface LintFlags {
  format?: string;
}

/** The JSON shape of `edrkit sigma lint --format json`. */
export interface LintReport {
  rules: Array<{ path: string; id: string | null; title: string | null; status: LoadedRule['status']; reason: string }>;
}

/** Build the lint report for loaded rules. */
export function lintReport(loaded: readonly LoadedRule[]): LintReport {
  return {
    rules: loaded.map((r) => ({
      path: r.index > 0 ? `${r.path}#${r.index}` : r.path,
      id: r.id ?? null,
      title: r.title ?? null,
      status: r.status,
      reason: r.reason,
    })),
  };
}

/** Count rules per status. */
export function statusCounts(loaded: readonly LoadedRule[]): Record<LoadedRule['status'], number> {
  const counts = { ok: 0, 'not-applicable': 0, unsupported: 0, invalid: 0 };
  for (const r of loaded) counts[r.status]++;
  return counts;
}

/** Register `sigma lint`. */
export function register(program: Command): void {
  const sigma = program.command('sigma').description('work with Sigma rules');
  sigma
    .command('lint')
    .description('check Sigma rules: ok, not-applicable, unsupported or invalid, each with the reason (exit 3 if any rule is invalid)')
    .argument('<paths...>', 'rule files or directories (searched recursively for .yml/.yaml)')
    .option('--format <format>', 'output format: pretty or json (default: pretty)')
    .action(async (paths: string[], flags: LintFlags) => {
      try {
        const format = flags.format ?? 'pretty';
        if (format !== 'pretty' && format !== 'json') throw new InvalidArgumentError(`--format must be one of pretty, json, got '${format}'`);
        // @edrkit/sigma is loaded when a command runs it, not when the CLI starts.
        const { loadRules } = await import('@edrkit/sigma');
        const loaded = await loadRules(paths);
        if (format === 'json') {
          process.stdout.write(`${JSON.stringify(lintReport(loaded))}\n`);
        } else {
          for (const r of lintReport(loaded).rules) {
            process.stdout.write(`${r.status.padEnd(14)} ${r.path}${r.title ? `  ${r.title}` : ''}${r.reason ? `\n${' '.repeat(15)}${r.reason}` : ''}\n`);
          }
          const c = statusCounts(loaded);
          process.stdout.write(`${loaded.length} rules: ${c.ok} ok, ${c['not-applicable']} not-applicable, ${c.unsupported} unsupported, ${c.invalid} invalid\n`);
        }
        process.exitCode = loaded.some((r) => r.status === 'invalid') ? EXIT.invalidInput : EXIT.ok;
      } catch (err) {
        process.exitCode = reportError(err);
      }
    });
}
