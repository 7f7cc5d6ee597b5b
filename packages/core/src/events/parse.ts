/**
 * Validation of untrusted event objects (recordings, plugin output, network input).
 *
 * @module
 */
import type { z } from 'zod';
import { InvalidEventError, type EventIssue } from '../errors.js';
import { EVENT_MODEL_VERSION, EventSchema, isEventKind, type EdrEvent } from './schema.js';

/** Turn zod issues into edrkit's `{ path, message }` form with dotted paths. */
export function toEventIssues(error: z.ZodError): EventIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '['),
    message: describeIssue(issue),
  }));
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    // zod's message is "Invalid input: expected X, received Y"; "missing" reads better for absent fields.
    if (issue.message.includes('received undefined')) return `missing (expected ${issue.expected})`;
    return issue.message.replace(/^Invalid input: /, '');
  }
  if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    return `unknown kind (expected one of the model v${EVENT_MODEL_VERSION} kinds, see docs/events.md)`;
  }
  return issue.message;
}

/**
 * A kind this model version does not know, named — so a recording made by a newer edrkit
 * is reported as "unknown kind 'x.y' (model v1.2)" per line instead of a generic invalid event.
 */
function unknownKindIssue(value: unknown): EventIssue | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || isEventKind(kind)) return undefined;
  const shown = kind.length > 80 ? `${kind.slice(0, 80)}…` : kind;
  return {
    path: 'kind',
    message: `unknown kind ${JSON.stringify(shown)} (this is event model v${EVENT_MODEL_VERSION}; a newer edrkit may know it, see docs/events.md)`,
  };
}

/**
 * Deepest nesting of arrays and objects an event may have (the envelope itself uses 4).
 * Deeper values would overflow the stack of every recursive consumer downstream (zod,
 * `JSON.stringify`, the OCSF/ECS exporters, a plugin's structured clone), so they are
 * refused here, once, with their path.
 */
export const MAX_EVENT_DEPTH = 64;

/**
 * The path of the first value nested deeper than `limit` levels, or undefined. Iterative:
 * the value being checked may itself be too deep for recursion.
 */
export function tooDeepPath(value: unknown, limit: number = MAX_EVENT_DEPTH): string | undefined {
  const stack: Array<{ v: unknown; depth: number; path: string }> = [{ v: value, depth: 0, path: '' }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= limit) return path;
    // An object graph (not from JSON) may share or loop; each object is walked once.
    if (seen.has(v)) continue;
    seen.add(v);
    // Paths name the first levels only: a message need not spell out 64 of them.
    const named = depth < 8;
    const at = named ? path : path.endsWith('…') ? path : `${path}…`;
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], depth: depth + 1, path: named ? `${at}[${i}]` : at });
    else for (const [k, child] of Object.entries(v)) stack.push({ v: child, depth: depth + 1, path: named ? (at ? `${at}.${k}` : k) : at });
  }
  return undefined;
}

/** Result of {@link safeParseEvent}. */
export type ParseEventResult = { ok: true; event: EdrEvent } | { ok: false; error: InvalidEventError };

/**
 * Validate `value` against the event model without throwing. A value nested deeper than
 * {@link MAX_EVENT_DEPTH} is refused before any recursive check sees it; a kind this model
 * does not know is reported by name with code `ERR_UNKNOWN_KIND`.
 * `where` names the input in the error (file and line).
 */
export function safeParseEvent(value: unknown, where: { line?: number; input?: string } = {}): ParseEventResult {
  const deep = tooDeepPath(value);
  if (deep !== undefined) {
    return { ok: false, error: new InvalidEventError([{ path: deep, message: `nested deeper than ${MAX_EVENT_DEPTH} levels` }], where) };
  }
  const unknown = unknownKindIssue(value);
  if (unknown) return { ok: false, error: new InvalidEventError([unknown], where, { code: 'ERR_UNKNOWN_KIND' }) };
  const result = EventSchema.safeParse(value);
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, error: new InvalidEventError(toEventIssues(result.error), where) };
}

/**
 * Validate `value` against the event model and return it typed.
 * @throws {@link InvalidEventError} naming every bad field path and the problem.
 */
export function parseEvent(value: unknown, where: { line?: number; input?: string } = {}): EdrEvent {
  const result = safeParseEvent(value, where);
  if (!result.ok) throw result.error;
  return result.event;
}
