/**
 * The options of the `windows-etw` backend (`openSensor({ backendOptions })`), one zod schema
 * shared by the descriptor and start().
 *
 * @module
 */
import { z } from 'zod';

/** `windows-etw` options. */
export const WindowsEtwOptionsSchema = z.strictObject({
  /**
   * The session is named `edrkit-<sessionName>`. A session of that name left by a process that
   * died is stopped and replaced; two sensors running at once need different names.
   */
  sessionName: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - (at most 64)').default('sensor'),
  /** Load the ETW functions from this library instead of advapi32.dll (the test stand-in). */
  library: z.string().min(1).optional(),
  /** How often the session's loss counters are read (ControlTraceW QUERY), ms. */
  lossPollMs: z.number().int().min(50).max(60_000).default(1000),
  /** Session buffer size, KiB (more buffers ride out bursts; the OS caps the total). */
  bufferKb: z.number().int().min(4).max(16_384).default(64),
  /** Most buffers the session may use. */
  maxBuffers: z.number().int().min(2).max(1024).default(64),
});
/** `windows-etw` options, parsed. */
export type WindowsEtwOptions = z.output<typeof WindowsEtwOptionsSchema>;
