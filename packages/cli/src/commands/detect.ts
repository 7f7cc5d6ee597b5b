/**
 * `edrkit detect [--rules PATH…]`: run Sigma rules over live events (the platform's
 * backend, chosen automatically) or over a recording (`--replay FILE`), printing one
 * line per match; a summary of rules loaded, skipped (with reasons) and matches goes
 * to stderr. Without `--rules`, the signed starter rule pack shipped with the CLI runs.
 *
 * @module
 */
import type { Command } from 'commander';
import type { EdrEvent } from '@edrkit/core';
import type { CompiledRule } from '@edrkit/sigma';
import { loadCommand } from '../lazy-command.js';
import { formatEvent } from '../output.js';
import { addFilterFlags, addLiveFlags, type SensorFlags } from '../sensor-flags.js';
import { addNatsFlags } from '../nats-flags.js';
import type { NatsInputFlags } from '../nats-input.js';
import { EDRKIT_INPUT_FORMAT, inputFormatHelp } from '../input-formats.js';

/** The parsed flags of `detect`. */
export interface DetectFlags extends SensorFlags, NatsInputFlags {
  rules?: string[];
  replay?: string;
  inputFormat: string;
  input?: string;
  alertsOutput?: string;
}

/** One match as `--format json` prints it. */
export function matchRecord(rule: CompiledRule, event: EdrEvent): { rule: { id: string | null; title: string; level: string | null; tags: readonly string[] }; event: EdrEvent } {
  return { rule: { id: rule.id ?? null, title: rule.title, level: rule.level ?? null, tags: rule.tags }, event };
}

/** One match as `--format pretty` prints it. */
export function prettyMatch(rule: CompiledRule, event: EdrEvent): string {
  return `[${(rule.level ?? 'unknown').toUpperCase()}] ${rule.title}${rule.id ? ` (${rule.id})` : ''}\n    ${formatEvent(event, 'pretty')}`;
}

/** Register `detect`. */
export function register(program: Command): void {
  const cmd = program
    .command('detect')
    .description('run Sigma rules over live events (default) or a recording; one line per match, summary on stderr')
    .option('--rules <paths...>', 'Sigma rule files or directories (searched recursively); default: the signed edrkit starter pack')
    .option('--replay <file>', 'read events from a recording instead of the live sensor (- for stdin)')
    .option('--input-format <format>', `${inputFormatHelp()} (--replay input only)`, EDRKIT_INPUT_FORMAT)
    .option('--format <format>', 'output format: pretty or json (default: pretty on a terminal, json when piped)')
    .option('--input <url>', 'read events from a JetStream stream (nats://HOST:PORT[,…]) instead of the live sensor; see docs/fleet.md')
    .option('--durable <name>', 'with --input: durable consumer shared by every detect process that names it (default edrkit-detect)')
    .option('--alerts-output <url>', `also publish every match to JetStream (nats://HOST:PORT), subject edrkit.alerts.HOST`);
  // The work (Sigma, the starter pack, NATS) is loaded when the command runs.
  addNatsFlags(addLiveFlags(addFilterFlags(cmd))).action(async (flags: DetectFlags) => (await loadCommand('detect', () => import('./detect-run.js')))?.runDetect(flags));
}
