/**
 * `edrkit watch`: stream live events to stdout.
 *
 * @module
 */
import type { Command } from 'commander';
import { InvalidArgumentError, type EventFilter, type OverflowPolicy, type Sensor } from '@edrkit/core';
import { backendChoices, cliBackends, openNamedSensor as openSensor } from '../backends.js';
import { consume, writeLine } from '../consume.js';
import { FORMATS, formatEvent, pickFormat, type OutputFormat } from '../output.js';
import { PrettyGrouper } from '../pretty-group.js';
import { addFilterFlags, addLiveFlags, parseDuration, parseFilter, parseKindSelection, parseQueue, type KindSelection, type SensorFlags } from '../sensor-flags.js';
import { EXIT, reportError } from '../user-error.js';
import { addOutputFlags, openOutputSink, runLiveToSink, warnLine, type OutputFlags } from '../sink-output.js';

/** Register `watch`. */
export function register(program: Command): void {
  const cmd = program
    .command('watch')
    .description('stream live events (Ctrl-C stops cleanly and prints stats to stderr)')
    .option('--format <format>', `output format: ${FORMATS.join(', ')} (default: pretty on a terminal, json when piped)`)
    .option('--show-image-loads', 'pretty: print every image.load instead of grouping repeats per process');
  addOutputFlags(addLiveFlags(addFilterFlags(cmd))).action(async (flags: SensorFlags & OutputFlags & { showImageLoads?: boolean }) => {
    let live: LiveOptions;
    try {
      const toSink = flags.output !== undefined && flags.output !== '-';
      live = parseLiveFlags(flags, toSink ? 'json' : undefined);
      // --output other than stdout: a file or JetStream sink (docs/fleet.md).
      const sink = toSink ? await openOutputSink(flags, live.format, warnLine) : undefined;
      if (sink) {
        process.exitCode = await runLiveToSink(live, sink);
        return;
      }
    } catch (err) {
      process.exitCode = reportError(err);
      return;
    }
    const grouper = live.format === 'pretty' && !flags.showImageLoads ? new PrettyGrouper() : undefined;
    process.exitCode = await runLive(live, async (line) => writeLine(process.stdout, line), grouper);
  });
}

/** The live flags, parsed and checked before anything is opened or created. */
export interface LiveOptions {
  format: OutputFormat;
  kinds: KindSelection | undefined;
  filter: EventFilter;
  queue: { maxQueue?: number; overflow?: OverflowPolicy };
  durationMs: number | undefined;
  backend: string;
}

/** `--backend` must name `auto` or a backend of the table. */
function checkBackend(id: string): string {
  if (id !== 'auto' && !cliBackends().has(id)) throw new InvalidArgumentError(`--backend: unknown backend '${id}'; choose one of: ${backendChoices()}`);
  return id;
}

/** Parse every live flag; throws an `InvalidArgumentError` (exit 2) naming the bad one. Shared with `record`. */
export function parseLiveFlags(flags: SensorFlags, defaultFormat?: string): LiveOptions {
  return {
    format: pickFormat(flags.format ?? defaultFormat, process.stdout.isTTY),
    kinds: parseKindSelection(flags.kinds),
    filter: parseFilter(flags),
    queue: parseQueue(flags),
    durationMs: parseDuration(flags.duration),
    backend: checkBackend(flags.backend ?? 'auto'),
  };
}

/**
 * Open the live sensor for the parsed flags. Kinds selected by a `family.*` that this backend
 * cannot produce are left out (the selection means "what this family offers here"); a kind
 * named explicitly that it cannot produce fails with the backend's reason, as does a
 * selection of which nothing is produced — all decided by `openSensor` before anything loads.
 */
export function openLiveSensor(live: LiveOptions): Promise<Sensor> {
  const optionalKinds = live.kinds?.kinds.filter((k) => !live.kinds?.explicit.includes(k));
  return openSensor({
    backend: live.backend,
    filter: live.filter,
    ...(live.kinds ? { kinds: live.kinds.kinds, optionalKinds } : {}),
    ...live.queue,
  });
}

/** Open the live sensor and write each formatted event with `emit`. Shared with `record`. */
export async function runLive(live: LiveOptions, emit: (line: string) => Promise<void>, grouper?: PrettyGrouper): Promise<number> {
  try {
    const sensor = await openLiveSensor(live);
    const emitAll = async (lines: string[]) => {
      for (const line of lines) await emit(line);
    };
    // Pretty at a terminal groups image.load noise (pretty-group.ts); every other format is one line per event.
    const result = await consume(sensor, {
      durationMs: live.durationMs,
      onEvent: grouper ? (e) => emitAll(grouper.add(e)) : (e) => emit(formatEvent(e, live.format)),
      onEnd: () => emitAll(grouper?.flush() ?? []),
    });
    return result.error ? reportError(result.error) : EXIT.ok;
  } catch (err) {
    return reportError(err);
  }
}
