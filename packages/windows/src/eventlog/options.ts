/**
 * The options of the `windows-eventlog` backend, one zod schema shared by the descriptor and
 * start().
 *
 * @module
 */
import { z } from 'zod';

/** `windows-eventlog` options. */
export const WindowsEventLogOptionsSchema = z.strictObject({
  /** Subscribe to these channels (all their events) instead of the ones the kinds need. */
  channels: z.array(z.string().min(1).max(256)).max(64).optional(),
  /** Load wevtapi's and kernel32's functions from this library (the tests' stand-in). */
  library: z.string().min(1).optional(),
});
/** `windows-eventlog` options, parsed. */
export type WindowsEventLogOptions = z.output<typeof WindowsEventLogOptionsSchema>;
