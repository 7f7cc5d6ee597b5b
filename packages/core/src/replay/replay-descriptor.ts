/**
 * The descriptor of the replay backend: it reads a recording, so it runs anywhere and needs
 * no privilege.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { BackendDescriptor } from '../backend-table.js';
import { ReplayBackend, type ReplayOptions } from './replay-backend.js';

const isReadable = (v: unknown): v is Readable => typeof (v as Readable | undefined)?.[Symbol.asyncIterator] === 'function';

/** Options of the replay backend, checked (see {@link ReplayOptions}). */
export const ReplayOptionsSchema = z
  .object({
    path: z.string().min(1).optional(),
    input: z.custom<Readable>(isReadable, 'expected a readable stream').optional(),
    inputName: z.string().optional(),
    onInvalid: z.enum(['skip', 'fail']).optional(),
    pace: z.union([z.boolean(), z.number().positive()]).optional(),
    batchSize: z.number().int().positive().optional(),
    maxLineBytes: z.number().int().positive().optional(),
  })
  .strict()
  .refine((o) => o.path !== undefined || o.input !== undefined, { message: "needs a recording: pass { path } or { input }" }) as z.ZodType<ReplayOptions>;

/** The replay backend's descriptor. */
export const replayDescriptor: BackendDescriptor<ReplayOptions> = {
  id: 'replay',
  platform: 'any',
  live: false,
  summary: 'replays a JSONL recording (any OS, no privilege)',
  options: ReplayOptionsSchema,
  privilege: () => ({ needed: 'none', held: true }),
  probe: (options) => new ReplayBackend(options).probe(),
  create: (options) => new ReplayBackend(options),
};

