/**
 * `backendOptions` of linux-ebpf: one zod schema, used by the backend table (descriptor) and by
 * `LinuxEbpfBackend.start()` for callers that hand options to the backend directly.
 *
 * @module
 */
import { InvalidArgumentError } from '@edrkit/core';
import { z } from 'zod';

/** `backendOptions` understood by linux-ebpf. */
export interface LinuxEbpfOptions {
  /** Kernel ring buffer size in bytes: a power of two, at least 4096 (default 8 MiB). */
  ringBufferBytes?: number;
  /** A BPF object file to load instead of the one embedded in the addon (default: the embedded one). */
  objectPath?: string;
  /** Entries in the user-space process cache (default 16384). */
  processCacheSize?: number;
  /**
   * Fold repeated opens in the kernel: when a process opens the same file with the same
   * access again within this many milliseconds of the last reported open, no event is sent;
   * the next reported one carries the count in `raw.linux.repeat`, and `stats().backend.coalesced`
   * counts every folded open (they are not drops). Creations are never folded. Default 0: off.
   */
  coalesceMs?: number;
}

const isRingSize = (n: number) => Number.isInteger(n) && n >= 4096 && n <= 2 ** 30 && (n & (n - 1)) === 0;

/** Options of `linux-ebpf`, checked. */
export const LinuxEbpfOptionsSchema = z
  .object({
    ringBufferBytes: z
      .number()
      .refine(isRingSize, { error: (issue) => `${String(issue.input)} must be a power of two between 4096 and 1 GiB (e.g. 8388608)` })
      .optional(),
    objectPath: z.string({ error: 'expected a file path string' }).min(1).optional(),
    processCacheSize: z.number().int().positive().optional(),
    coalesceMs: z.number().int({ error: 'must be a whole number of milliseconds' }).min(0).max(60_000, { error: 'must be at most 60000 (one minute)' }).optional(),
  })
  .strict() satisfies z.ZodType<LinuxEbpfOptions>;

/**
 * Check raw `backendOptions`.
 * @throws {@link InvalidArgumentError} naming the option and the problem (`backendOptions.ringBufferBytes: …`).
 */
export function parseLinuxOptions(raw: unknown): LinuxEbpfOptions {
  const result = LinuxEbpfOptionsSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue?.path.length ? `backendOptions.${issue.path.join('.')}` : 'backendOptions';
  throw new InvalidArgumentError(`${where}: ${issue?.message ?? 'invalid'}`);
}
