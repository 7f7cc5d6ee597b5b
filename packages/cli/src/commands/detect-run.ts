/**
 * The `detect` command's work, loaded when it runs (not when the CLI starts): Sigma, the
 * starter pack's verification and the NATS client are loaded only for it.
 *
 * @module
 */
import { InvalidArgumentError, ReplayBackend, openSensor as openCoreSensor, type EventKind, type Sensor } from '@edrkit/core';
import { RuleSet, loadRules, type CompiledRule } from '@edrkit/sigma';
import { openNamedSensor as openSensor } from '../backends.js';
import { consume, writeLine } from '../consume.js';
import { pickFormat } from '../output.js';
import { parseDuration, parseFilter, parseKinds, parseQueue } from '../sensor-flags.js';
import { EXIT, reportError } from '../user-error.js';
import { loadStarterRules } from '../starter-pack.js';
import { statusCounts } from './sigma.js';
import { isNatsUrl } from '../nats-flags.js';
import { AlertPublisher, natsInputBackend } from '../nats-input.js';
import { parseInputFormat } from '../input-formats.js';
import { matchRecord, prettyMatch, type DetectFlags } from './detect.js';

/** Run `detect` with its parsed flags; sets `process.exitCode`. */
export async function runDetect(flags: DetectFlags): Promise<void> {
  const stderr = process.stderr;
  try {
    const format = pickFormat(flags.format, process.stdout.isTTY, ['pretty', 'json']);
    const importFormat = parseInputFormat(flags.inputFormat);
    if (flags.replay === undefined && importFormat !== undefined) {
      throw new InvalidArgumentError('--input-format applies to --replay input only');
    }
    const durationMs = parseDuration(flags.duration);
    let loaded;
    if (flags.rules) loaded = await loadRules(flags.rules);
    else {
      const starter = loadStarterRules();
      loaded = starter.rules;
      const { name, version } = starter.pack.manifest;
      stderr.write(`edrkit: no --rules given: starter pack ${name} ${version} (signature verified, key ${starter.pack.signer.keyIdHex})\n`);
    }
    const set = new RuleSet(loaded);
    const counts = statusCounts(loaded);
    stderr.write(
      `edrkit: ${loaded.length} Sigma rules: ${counts.ok} loaded, ${loaded.length - counts.ok} skipped (${counts['not-applicable']} not-applicable, ${counts.unsupported} unsupported, ${counts.invalid} invalid)\n`,
    );
    // Every skipped rule with its reason, grouped: a rule set often skips dozens for one reason.
    const skipped = new Map<string, string[]>();
    for (const r of loaded) {
      if (r.status === 'ok') continue;
      const key = `${r.status}: ${r.reason}`;
      skipped.set(key, [...(skipped.get(key) ?? []), `${r.path}${r.index ? `#${r.index}` : ''}`]);
    }
    for (const [why, paths] of skipped) stderr.write(`  skipped ${paths.length} (${why})\n${paths.map((p) => `    ${p}\n`).join('')}`);
    if (set.rules.length === 0) {
      throw new InvalidArgumentError(`none of the ${loaded.length} rules in ${flags.rules?.join(', ') ?? 'the starter pack'} can run on edrkit events (reasons above)`);
    }
    // Only the kinds some rule needs (narrowed further by --kinds).
    const wanted = parseKinds(flags.kinds);
    const kinds = wanted ? set.kinds.filter((k) => wanted.includes(k as EventKind)) : set.kinds;
    if (kinds.length === 0) throw new InvalidArgumentError(`--kinds leaves no kind any loaded rule needs (rules need: ${set.kinds.join(', ')})`);
    let sensor: Sensor;
    const nats = flags.input !== undefined ? natsInput(flags) : undefined;
    const alerts = flags.alertsOutput !== undefined ? await openAlerts(flags.alertsOutput, flags) : undefined;
    if (nats) {
      sensor = await openCoreSensor({ backend: nats, kinds, filter: { includeSelf: true, ...parseFilter(flags) }, ...parseQueue(flags) });
    } else if (flags.replay !== undefined) {
      const backend = new ReplayBackend({
        ...(flags.replay === '-' ? { input: process.stdin, inputName: 'stdin' } : { path: flags.replay }),
        ...(importFormat ? { format: importFormat } : {}),
      });
      sensor = await openCoreSensor({ backend, kinds, filter: { includeSelf: true, ...parseFilter(flags) }, ...parseQueue(flags) });
    } else {
      sensor = await openSensor({ backend: flags.backend ?? 'auto', kinds, filter: parseFilter(flags), ...parseQueue(flags) });
    }
    let matches = 0;
    const perRule = new Map<CompiledRule, number>();
    const result = await consume(sensor, {
      durationMs,
      stats: false,
      onEvent: async (event) => {
        for (const rule of set.match(event)) {
          matches++;
          perRule.set(rule, (perRule.get(rule) ?? 0) + 1);
          await writeLine(process.stdout, format === 'json' ? JSON.stringify(matchRecord(rule, event)) : prettyMatch(rule, event));
          await alerts?.publish(matchRecord(rule, event), nats?.origin(event));
        }
      },
    });
    await alerts?.close();
    const { delivered, dropped } = result.stats;
    const lost = dropped.kernel + dropped.backend + dropped.queue;
    stderr.write(`edrkit: ${matches} matches from ${perRule.size} rules over ${delivered} events${lost ? `, ${lost} events lost` : ''}\n`);
    for (const [rule, n] of [...perRule].sort((a, b) => b[1] - a[1])) stderr.write(`  ${String(n).padStart(6)}  ${rule.title}${rule.id ? ` (${rule.id})` : ''}\n`);
    process.exitCode = result.error ? reportError(result.error) : EXIT.ok;
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

/** `--input nats://…`: the JetStream input (a shared durable consumer). */
function natsInput(flags: DetectFlags) {
  if (!isNatsUrl(flags.input)) throw new InvalidArgumentError(`--input: '${flags.input}' is not nats://HOST:PORT (recordings are read with --replay FILE)`);
  if (flags.replay !== undefined) throw new InvalidArgumentError('--input and --replay are two sources: give one');
  return natsInputBackend(flags.input, { ...flags, durable: flags.durable ?? 'edrkit-detect' }, true);
}

function openAlerts(url: string, flags: DetectFlags): Promise<AlertPublisher> {
  if (!isNatsUrl(url)) throw new InvalidArgumentError(`--alerts-output: '${url}' is not nats://HOST:PORT`);
  return AlertPublisher.open(url, flags);
}
