/**
 * The pretty line's payload of a `process.credentials` event: the call, then only what it
 * changed (`setresuid uid 1000→0 euid 1000→0`).
 *
 * @module
 */
import type { EventOfKind } from '@edrkit/core';

const IDS = ['uid', 'euid', 'suid', 'fsuid', 'gid', 'egid', 'sgid', 'fsgid'] as const;
const CAPS = ['effective', 'permitted', 'inheritable'] as const;

/** `operation` and each id, group list or capability mask that differs between before and after. */
export function describeCredentials(event: EventOfKind<'process.credentials'>): string {
  const { operation, before, after, capabilities } = event.credentials;
  const parts: string[] = [operation];
  for (const k of IDS) if (before[k] !== after[k]) parts.push(`${k} ${before[k]}→${after[k]}`);
  const groups = (g: number[] | undefined) => (g ? `[${g.join(',')}]` : '?');
  if ((before.groups ?? after.groups) && groups(before.groups) !== groups(after.groups)) parts.push(`groups ${groups(before.groups)}→${groups(after.groups)}`);
  const cb = capabilities?.before;
  const ca = capabilities?.after;
  for (const k of CAPS) if (cb && ca && cb[k] !== ca[k]) parts.push(`cap.${k} ${cb[k]}→${ca[k]}`);
  return parts.join(' ');
}
