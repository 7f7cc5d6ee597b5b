/**
 * `backendOptions` of `macos-eslogger`: one zod schema, used by the descriptor and by
 * `EsloggerBackend` for callers that construct it directly.
 *
 * @module
 */
import { InvalidArgumentError } from '@edrkit/core';
import { z } from 'zod';

/** The eslogger Apple ships (macOS 13 and later). */
export const DEFAULT_ESLOGGER = '/usr/bin/eslogger';

/** `backendOptions` understood by macos-eslogger. */
export interface EsloggerOptions {
  /** The eslogger executable (default: `EDRKIT_ESLOGGER` from the environment, else /usr/bin/eslogger). */
  esloggerPath?: string;
  /** Longest line read from eslogger, in bytes (default 16 MiB); a longer one is skipped and counted. */
  maxLineBytes?: number;
  /** Events per batch handed to the sensor (default 256). */
  batchSize?: number;
  /** How long stop() waits for eslogger to exit after SIGTERM before SIGKILL, in ms (default 2000). */
  stopTimeoutMs?: number;
  /** Subscribe to ES `mmap` for `image.load` (default false: high volume). */
  imageLoads?: boolean;
}

/** Options of macos-eslogger, checked. */
export const EsloggerOptionsSchema = z
  .object({
    esloggerPath: z.string({ error: 'expected a file path string' }).min(1).optional(),
    maxLineBytes: z.number().int().min(1024).optional(),
    batchSize: z.number().int().positive().optional(),
    stopTimeoutMs: z.number().int().positive().optional(),
    imageLoads: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<EsloggerOptions>;

/**
 * Check raw `backendOptions`.
 * @throws {@link InvalidArgumentError} naming the option and the problem.
 */
export function parseEsloggerOptions(raw: unknown): EsloggerOptions {
  const result = EsloggerOptionsSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `backendOptions.${issue.path.join('.')}` : 'backendOptions';
  throw new InvalidArgumentError(`${where}: ${issue?.message ?? 'invalid'}`);
}

/** The eslogger to run: the option, else `EDRKIT_ESLOGGER`, else Apple's. */
export function esloggerPath(options: EsloggerOptions): string {
  return options.esloggerPath ?? process.env['EDRKIT_ESLOGGER'] ?? DEFAULT_ESLOGGER;
}
