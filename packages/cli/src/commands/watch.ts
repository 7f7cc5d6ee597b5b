/**
 * `edrkit watch`: stream live events to stdout.
 *
 * @module
 */
import type { Command } from 'commander';
import { openSensor } from 'edrkit';
import { consume, writeLine } from '../consume.js';
import { FORMATS, formatEvent, pickFormat } from '../output.js';
import { addFilterFlags, addLiveFlags, parseDuration, parseFilter, parseKinds, parseQueue, type SensorFlags } from '../sensor-flags.js';
import { EXIT, reportError } from '../user-error.js';

/** Register `watch`. */
export function register(program: Command): void {
  const cmd = program
    .command('watch')
    .description('stream live events (Ctrl-C stops cleanly and prints stats to stderr)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')} (default: pretty on a terminal, json when piped)`);
  addLiveFlags(addFilterFlags(cmd)).action(async (flags: SensorFlags) => {
    process.exitCode = await runLive(flags, async (line) => writeLine(process.stdout, line));
  });
}

/** Open the live sensor from the flags and write each formatted event with `emit`. Shared with `record`. */
export async function runLive(flags: SensorFlags, emit: (line: string) => Promise<void>, defaultFormat?: string): Promise<number> {
  try {
    const format = pickFormat(flags.format ?? defaultFormat, process.stdout.isTTY);
    const kinds = parseKinds(flags.kinds);
    const sensor = await openSensor({
      backend: flags.backend ?? 'auto',
      filter: parseFilter(flags),
      ...(kinds ? { kinds } : {}),
      ...parseQueue(flags),
    });
    const result = await consume(sensor, {
      durationMs: parseDuration(flags.duration),
      onEvent: (e) => emit(formatEvent(e, format)),
    });
    return result.error ? reportError(result.error) : EXIT.ok;
  } catch (err) {
    return reportError(err);
  }
}
