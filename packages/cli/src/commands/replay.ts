/**
 * `edrkit replay FILE|-`: play a recording through the sensor (validated line by line).
 *
 * @module
 */
import type { Command } from 'commander';
import { EVENT_KINDS, InvalidArgumentError, ReplayBackend, openSensor } from '@edrkit/core';
import { Option } from 'commander';
import { consume } from '../consume.js';
import { writeBatch } from '../line-batch.js';
import { FORMATS, lineFormatter, pickFormat } from '../output.js';
import { addFilterFlags, parseFilter, parseKinds, parseQueue, type SensorFlags } from '../sensor-flags.js';
import { EXIT, reportError } from '../user-error.js';
import { EDRKIT_INPUT_FORMAT, inputFormatHelp, parseInputFormat } from '../input-formats.js';
import { addNatsFlags, isNatsUrl } from '../nats-flags.js';
import type { NatsInputFlags } from '../nats-input.js';

interface ReplayFlags extends SensorFlags, NatsInputFlags {
  hostname?: string;
  onInvalid: 'skip' | 'fail';
  pace?: string | boolean;
  lineage?: boolean;
  inputFormat: string;
}

/** Parse `--pace [speed]`. */
function parsePace(value: string | boolean | undefined): boolean | number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return true;
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError(`--pace: '${value}' is not a positive speed factor`);
  return n;
}

/** Register `replay`. */
export function register(program: Command): void {
  const cmd = program
    .command('replay')
    .description('replay an edrkit recording (JSON Lines file, or - for stdin), or import a foreign log with --input-format')
    .argument('<file>', 'recording to read, - for stdin, or nats://HOST:PORT to read a JetStream stream (docs/fleet.md)')
    .option('--durable <name>', 'nats:// input: read through this durable consumer (resumes where it stopped) instead of the whole stream')
    .option('--input-format <format>', inputFormatHelp(), EDRKIT_INPUT_FORMAT)
    .option('--format <format>', `output format: ${FORMATS.join(', ')} (default: pretty on a terminal, json when piped)`)
    .addOption(new Option('--on-invalid <action>', 'a malformed line: fail (exit 3) or skip (warn, count as lost)').choices(['fail', 'skip']).default('fail'))
    .option('--pace [speed]', 'replay in real time, or at SPEED times real time')
    .option('--lineage', "fill process.parent where the recording has none, from the recording's own process events (keyed by pid and start time)")
    .option('--hostname <name>', 'host the recording came from (OCSF device.hostname / ECS host.hostname)');
  addNatsFlags(addFilterFlags(cmd)).action(async (file: string, flags: ReplayFlags) => {
    try {
      const format = pickFormat(flags.format, process.stdout.isTTY);
      const pace = parsePace(flags.pace);
      const exportOptions = flags.hostname ? { hostname: flags.hostname } : undefined;
      const kinds = parseKinds(flags.kinds);
      const importFormat = parseInputFormat(flags.inputFormat);
      // nats://…: the stream up to now, then the end (docs/fleet.md).
      // The NATS client is loaded only for a nats:// input.
      const backend = isNatsUrl(file) ? (await import('../nats-input.js')).natsInputBackend(file, flags, false) : new ReplayBackend({
        ...(importFormat ? { format: importFormat } : {}),
        ...(file === '-' ? { input: process.stdin, inputName: 'stdin' } : { path: file }),
        onInvalid: flags.onInvalid,
        ...(pace !== undefined ? { pace } : {}),
      });
      const sensor = await openSensor({
        backend,
        // A recording holds what was recorded: keep edrkit's own pid if it is in there.
        filter: { includeSelf: true, ...parseFilter(flags) },
        // Everything recorded is replayed (file.open included) unless --kinds narrows it.
        kinds: kinds ?? [...EVENT_KINDS],
        ...parseQueue(flags),
        // A recording holds finished events; lineage is only added when asked for.
        ...(flags.lineage ? { processTable: {} } : {}),
      });
      const lines = lineFormatter(format, exportOptions);
      const result = await consume(sensor, { onBatch: (events, handed) => writeBatch(process.stdout, events, lines, { handed }) });
      process.exitCode = result.error ? reportError(result.error) : EXIT.ok;
    } catch (err) {
      process.exitCode = reportError(err);
    }
  });
}
