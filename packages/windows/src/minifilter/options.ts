/**
 * The options of the `windows-minifilter` backend, one zod schema shared by the descriptor and
 * the constructor.
 *
 * @module
 */
import { z } from 'zod';

/** `windows-minifilter` options. */
export const WindowsMinifilterOptionsSchema = z.strictObject({
  /** The communication port the vendor minifilter created (`FltCreateCommunicationPort`). */
  port: z.string().regex(/^\\[^\0]{1,255}$/, 'a port name starting with \\ (e.g. \\edrkitPort)').default('\\edrkitPort'),
  /** Load fltlib's and kernel32's functions from this library (the tests' stand-in). */
  library: z.string().min(1).optional(),
  /** Largest message accepted, bytes (header included). */
  maxMessageBytes: z.number().int().min(64).max(1 << 20).default(4096 + 48),
});
/** `windows-minifilter` options, parsed. */
export type WindowsMinifilterOptions = z.output<typeof WindowsMinifilterOptionsSchema>;
