/**
 * `edrkit watch`: stream live events to stdout.
 *
 * @module
 */
import type { Command } from 'commander';
import { InvalidArgumentError, type EdrEvent, type EventFilter, type OverflowPolicy, type Sensor } from '@edrkit/core';
import { backendChoices, cliBackends, openNamedSensor as openSensor } from '../backends.js';
import { consume, writeLine } from '../consume.js';
import { FORMATS, lineFormatter, pickFormat, type OutputFormat } from '../output.js';
import { writeBatch } from '../line-batch.js';
import { PrettyGrouper } from '../pretty-group.js';
import { addFilterFlags, addLiveFlags, parseDuration, parseFilter, parseKindSelection, parseQueue, type KindSelection, type SensorFlags } from '../sensor-flags.js';
import { EXIT, reportError } from '../user-error.js';
import { addOutputFlags, type OutputFlags } from '../output-flags.js';

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
      // Loaded only then: stdout output never loads the NATS client or the file sink.
      if (toSink) {
        const { openOutputSink, runLiveToSink, warnLine } = await import('../sink-output.js');
        const sink = await openOutputSink(flags, live.format, warnLine);
        if (sink) {
          process.exitCode = await runLiveToSink(live, sink);
          return;
        }
      }
    } catch (err) {
      process.exitCode = reportError(err);
      return;
    }
    const grouper = live.format === 'pretty' && !flags.showImageLoads ? new PrettyGrouper() : undefined;
    process.exitCode = await runLive(live, process.stdout, grouper ? { grouper } : {});
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

/** Options of {@link runLive}. */
export interface RunLiveOptions {
  /** Pretty output: group repeated image loads (pretty-group.ts). */
  grouper?: PrettyGrouper;
  /** Called as events reach the output (see `writeBatch`). */
  handed?: (events: readonly EdrEvent[]) => void;
}

/**
 * Open the live sensor and write the formatted events to `out`, a batch at a time (one write
 * per chunk of lines, see line-batch.ts). Shared with `record`. Resolves to the exit code.
 */
export async function runLive(live: LiveOptions, out: NodeJS.WritableStream, options: RunLiveOptions = {}): Promise<number> {
  const { grouper } = options;
  try {
    const sensor = await openLiveSensor(live);
    // Pretty at a terminal groups image.load noise (pretty-group.ts); every other format is one line per event.
    const format = grouper ? (e: EdrEvent) => grouper.add(e).map((l) => `${l}\n`).join('') : lineFormatter(live.format);
    const result = await consume(sensor, {
      durationMs: live.durationMs,
      onBatch: (events, handed) =>
        writeBatch(out, events, format, {
          handed: (done) => {
            handed(done);
            options.handed?.(done);
          },
        }),
      onEnd: async () => {
        for (const line of grouper?.flush() ?? []) await writeLine(out, line);
      },
    });
    return result.error ? reportError(result.error) : EXIT.ok;
  } catch (err) {
    return reportError(err);
  }
}
