/**
 * Loading a command's implementation when it runs. The `edrkit` program registers every
 * command (so `edrkit --help` lists them all) from light modules; what a command needs —
 * Sigma, plugins, the NATS client — is imported only in its action. A command whose
 * implementation cannot be loaded (a package missing from this install) fails alone, with
 * exit code 1 and a one-line reason; the other commands are not affected.
 *
 * @module
 */
import { safe } from './pretty.js';
import { EXIT } from './user-error.js';

/**
 * `load()`, or undefined after reporting why it failed (exit code 1 in `process.exitCode`).
 *
 * @param name - the command, for the message (`detect`, `plugin sign`).
 */
export async function loadCommand<T>(name: string, load: () => Promise<T>, stderr: NodeJS.WritableStream = process.stderr): Promise<T | undefined> {
  try {
    return await load();
  } catch (err) {
    const message = (err as Error | undefined)?.message;
    const cause = typeof message === 'string' ? message.split('\n')[0] : String(err);
    stderr.write(`edrkit: ${name} cannot run: its implementation did not load (${safe(cause ?? '')})\n`);
    process.exitCode = EXIT.failure;
    return undefined;
  }
}
