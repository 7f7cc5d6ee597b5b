/**
 * `edrkit record -o FILE`: write live events to a file (edrkit JSON Lines by default,
 * replayable with `edrkit replay`; or OCSF / ECS lines).
 *
 * @module
 */
import { InvalidArgumentError } from '@edrkit/core';
import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { addFilterFlags, addLiveFlags, type SensorFlags } from '../sensor-flags.js';
import { reportError } from '../user-error.js';
import { parseLiveFlags, runLive, type LiveOptions } from './watch.js';

/** Register `record`. */
export function register(program: Command): void {
  const cmd = program
    .command('record')
    .description('record live events to a file (JSON Lines; replay it with `edrkit replay FILE`)')
    .requiredOption('-o, --output <file>', 'file to write (created or truncated); - for stdout')
    .option('--format <format>', 'json (default, replayable), ocsf or ecs');
  addLiveFlags(addFilterFlags(cmd)).action(async (flags: SensorFlags & { output: string }) => {
    if (flags.format === 'pretty') {
      process.exitCode = reportError(new InvalidArgumentError('record writes json, ocsf or ecs; use `watch` for pretty output'));
      return;
    }
    let live: LiveOptions;
    try {
      // Every flag is checked before the file is created: a usage error leaves nothing behind.
      live = parseLiveFlags(flags, 'json');
    } catch (err) {
      process.exitCode = reportError(err);
      return;
    }
    const out = flags.output === '-' ? process.stdout : createWriteStream(flags.output);
    const opened = new Promise<void>((resolve, reject) => {
      if (out === process.stdout) return resolve();
      out.once('open', () => resolve()).once('error', reject);
    });
    try {
      await opened;
    } catch (err) {
      process.exitCode = reportError(err);
      return;
    }
    let count = 0;
    process.exitCode = await runLive(live, out, { handed: (events) => (count += events.length) });
    if (out !== process.stdout) {
      await new Promise<void>((r) => out.end(r));
      process.stderr.write(`edrkit: wrote ${count} events to ${flags.output}\n`);
    }
  });
}
