/**
 * NATS subject naming: `<prefix>.<host>.<kind>`, e.g. `edrkit.events.web-1.process_exec`.
 * A subject token may not hold `.`, `*`, `>` or whitespace, so a kind's dot becomes `_`
 * (kinds never contain `_`, so the mapping is reversible) and every other character of the
 * host outside `[A-Za-z0-9_-]` becomes `_`.
 *
 * @module
 */
import { InvalidArgumentError, type EventKind } from '@edrkit/core';

/** Default subject prefix of event streams. */
export const DEFAULT_SUBJECT_PREFIX = 'edrkit.events';

/** A host name as one subject token. */
export function hostToken(host: string): string {
  const token = host.replace(/[^A-Za-z0-9_-]/g, '_');
  return token === '' ? '_' : token;
}

/** A kind as one subject token (`process.exec` → `process_exec`). */
export function kindToken(kind: EventKind): string {
  return kind.replace(/\./g, '_');
}

/** The kind a subject token names (`process_exec` → `process.exec`). */
export function kindFromToken(token: string): string {
  return token.replace(/_/g, '.');
}

/** Check a subject prefix: dot-separated tokens without wildcards or whitespace. */
export function checkSubjectPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(prefix)) {
    throw new InvalidArgumentError(`subject prefix '${prefix}' is not a NATS subject (dot-separated tokens of A-Z a-z 0-9 _ -, no wildcards)`);
  }
  return prefix;
}

/** The subject of one event. */
export function eventSubject(prefix: string, host: string, kind: EventKind): string {
  return `${prefix}.${hostToken(host)}.${kindToken(kind)}`;
}
