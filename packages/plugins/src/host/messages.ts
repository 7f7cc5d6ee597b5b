/**
 * Validation of messages from plugin child processes. A child runs third-party code, so
 * everything it sends is untrusted input: anything that does not match (an unknown type,
 * an extra field, a wrong type, an oversized text) is a protocol failure and the child is
 * killed. What a valid message may *do* (capabilities, rates) is enforced by the slot.
 *
 * @module
 */
import { z } from 'zod';

/** Severity of a plugin alert. */
export const SeveritySchema = z.enum(['info', 'low', 'medium', 'high', 'critical']);
/** Severity of a plugin alert. */
export type Severity = z.infer<typeof SeveritySchema>;

/** A finding reported by a plugin with `ctx.alert(...)`. */
export const AlertSchema = z.strictObject({
  title: z.string().min(1).max(500),
  severity: SeveritySchema,
  details: z.record(z.string(), z.unknown()).optional(),
});
/** A finding reported by a plugin with `ctx.alert(...)`. */
export type Alert = z.infer<typeof AlertSchema>;

const text = z.string().max(20_000);
const id = z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER);
const bytes = z.number().finite().min(0);

/** Every message a child may send. */
export const ChildMessageSchema = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('ready') }),
  z.strictObject({ t: z.literal('fatal'), message: text, stack: text.optional() }),
  z.strictObject({ t: z.literal('crash'), message: text, stack: text.optional() }),
  // The alert itself is validated separately so a bad alert is reported, not fatal.
  z.strictObject({ t: z.literal('alert'), id, index: id, alert: z.unknown() }),
  z.strictObject({ t: z.literal('error'), id, index: id, message: text, stack: text.optional() }),
  z.strictObject({ t: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: text }),
  z.strictObject({ t: z.literal('done'), id }),
  z.strictObject({ t: z.literal('hb'), rss: bytes, heapUsed: bytes }),
]);
/** A validated message from a child. */
export type ChildMessage = z.infer<typeof ChildMessageSchema>;
