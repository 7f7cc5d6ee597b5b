/**
 * One JetStream message's bytes → an edrkit event, or why not. Messages come from other
 * hosts (untrusted): the text is parsed and validated exactly like a recording line (bounded
 * nesting, the strict event schema), and a message published in another format (OCSF, ECS)
 * is refused by name, since detection reads edrkit JSON.
 *
 * @module
 */
import { InvalidEventError, parseRecordingLine, type EdrEvent } from '@edrkit/core';

/** Longest message accepted, in bytes of text (JetStream's own default limit is 1 MiB). */
export const MAX_MESSAGE_CHARS = 16 * 1024 * 1024;

/** The event of a message, or an {@link InvalidEventError} naming the message and the problem. */
export function decodeStreamMessage(text: string, format: string | undefined, input: string): { ok: true; event: EdrEvent } | { ok: false; error: InvalidEventError } {
  if (format && format !== 'json') {
    return { ok: false, error: new InvalidEventError([{ path: '', message: `published as ${format}; detection reads edrkit JSON (publish with --format json)` }], { input }) };
  }
  if (text.length > MAX_MESSAGE_CHARS) return { ok: false, error: new InvalidEventError([{ path: '', message: `message is longer than ${MAX_MESSAGE_CHARS} characters` }], { input }) };
  const line = parseRecordingLine(text, 1, input);
  return line.ok ? { ok: true, event: line.event } : { ok: false, error: line.error };
}
