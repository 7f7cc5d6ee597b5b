/**
 * The `edrkit` command: one commander program, one module per subcommand.
 *
 * @module
 */
import type { BackendTable } from '@edrkit/core';
import { Command, CommanderError } from 'commander';
import { useBackends } from './backends.js';
import { createRequire } from 'node:module';
import * as doctor from './commands/doctor.js';
import * as record from './commands/record.js';
import * as replay from './commands/replay.js';
import * as watch from './commands/watch.js';
import { EXIT } from './user-error.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

/** A subcommand module. */
export interface CommandModule {
  register(program: Command): void;
}

/** Subcommands contributed by the other packages' CLI modules (loaded lazily so a broken one cannot stop the others). */
const OPTIONAL_COMMANDS = ['./commands/detect.js', './commands/sigma.js', './commands/plugin.js'];

/** What the CLI runs with. */
export interface MainOptions {
  /** The backends `--backend`, `watch`, `detect` and `doctor` choose from (the `edrkit` package's `backends`). */
  backends: BackendTable;
}

/** Build the program with every subcommand registered. */
export async function buildProgram(options: MainOptions): Promise<Command> {
  useBackends(options.backends);
  const program = new Command('edrkit')
    .description('edrkit: one typed event stream over Linux eBPF, Windows ETW and macOS Endpoint Security')
    .version(version, '-v, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const m of [watch, record, replay, doctor] as CommandModule[]) m.register(program);
  for (const path of OPTIONAL_COMMANDS) {
    try {
      const m = (await import(path)) as CommandModule;
      m.register(program);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }
  }
  program.addHelpText(
    'after',
    `
Exit codes: 0 ok (also when stopped by Ctrl-C or --duration), 1 runtime failure,
            2 usage error, 3 invalid input data. Docs: docs/cli.md`,
  );
  return program;
}

/** Run the CLI with `argv` (without node and script). Resolves to the exit code. */
export async function main(argv: readonly string[], options: MainOptions): Promise<number> {
  const program = await buildProgram(options);
  // A reader that closed the pipe early (`| head`) is a quiet stop, never an uncaught EPIPE;
  // a terminal that hung up (EIO) leaves nowhere to report anything, so that is quiet too.
  const quiet = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && err.code !== 'EIO') throw err;
  };
  process.stdout.on('error', quiet);
  process.stderr.on('error', quiet);
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      // `edrkit` or `edrkit plugin` without a subcommand prints the usage to stderr with exitCode 1: a usage error.
      if (err.code === 'commander.help') return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return EXIT.usage;
    }
    throw err;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
}
