/**
 * Loading a command's implementation when it runs. The `edrkit` program registers every
 * command (so `edrkit --help` lists them all) from light modules; what a command needs —
 * Sigma, plugins, the NATS client — is imported only in its action. A command whose
 * implementation cannot be loaded (a package missing from this install) fails alone, with
 * exit code 1 and a one-line reason; the other commands are not affected.
 *
 * @module
 */
import { reportError } from './user-error.js';

/**
 * `load()`, or undefined after reporting why it failed (exit code 1 in `process.exitCode`).
 *
 * @param name - the command, for the message (`detect`, `plugin sign`).
 */
export async function loadCommand<T>(name: string, load: () => Promise<T>, stderr: NodeJS.WritableStream = process.stderr): Promise<T | undefined> {
  try {
    return await load();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const cause = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(err);
    process.exitCode = reportError(Object.assign(new Error(`edrkit ${name} cannot run: its implementation did not load (${cause})`), { code: e?.code ?? 'ERR_MODULE_LOAD' }), stderr);
    return undefined;
  }
}
