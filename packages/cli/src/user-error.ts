/**
 * How the CLI reports failures: one line `edrkit: …` on stderr, no stack trace for
 * expected errors, and documented exit codes (see docs/cli.md).
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';
import { safe } from './pretty.js';

/** Exit codes of the `edrkit` command. */
export const EXIT = {
  /** Success, including a stream stopped by Ctrl-C or --duration. */
  ok: 0,
  /** A runtime failure: backend unavailable, permission, I/O. */
  failure: 1,
  /** Bad usage: unknown option, bad option value. */
  usage: 2,
  /** Invalid input data (a malformed recording line, rule or manifest). */
  invalidInput: 3,
} as const;

/** Error codes that mean "the input data is bad" (exit 3) rather than "something failed". */
const INVALID_INPUT_CODES = new Set<string>(['ERR_INVALID_EVENT', 'ERR_INVALID_RECORDING', 'ERR_PLUGIN_MANIFEST', 'ERR_PLUGIN_DUPLICATE_KEY', 'ERR_SIGMA_INVALID']);

/** Print an error the way the CLI does and return the exit code to use. */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof EdrkitError) {
    // Messages may quote the bad input (a binary file, a hostile recording): escape control characters.
    stderr.write(`edrkit: ${safe(err.message)}${err.code ? ` [${err.code}]` : ''}\n`);
    if (err.code === 'ERR_INVALID_ARGUMENT') return EXIT.usage;
    if (INVALID_INPUT_CODES.has(err.code)) return EXIT.invalidInput;
    return EXIT.failure;
  }
  const e = err as { code?: string; message?: string; stack?: string };
  if (e && typeof e.code === 'string' && typeof e.message === 'string' && !process.env.EDRKIT_DEBUG) {
    // System errors (ENOENT, EACCES, …) carry what the user needs in the message.
    stderr.write(`edrkit: ${safe(e.message)}\n`);
    return EXIT.failure;
  }
  stderr.write(`edrkit: unexpected error: ${e?.stack ?? String(err)}\n`);
  return EXIT.failure;
}
