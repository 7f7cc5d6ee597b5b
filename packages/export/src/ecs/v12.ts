/**
 * ECS payload fields of the kind added in model v1.2, `process.credentials`. ECS's Linux
 * process fields take the ids after the change (`process.real_user`, `saved_user`,
 * `real_group`, `saved_group`, `supplemental_groups`); the call, the ids before, the
 * file-system ids and the capabilities have no ECS field and stay under `edrkit.credentials`.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';
import type { Leftovers } from '../unmapped.js';
import type { EcsDocument } from './types.js';

/**
 * Fill the ECS fields of a v1.2 kind. Returns false for a kind this function does not map
 * (the caller then reports the unknown kind).
 */
export function fillV12Payload(event: EdrEvent, doc: EcsDocument, left: Leftovers): boolean {
  if (event.kind !== 'process.credentials') return false;
  const { after } = event.credentials;
  if (doc.process) {
    Object.assign(doc.process, {
      real_user: { id: String(after.uid) },
      saved_user: { id: String(after.suid) },
      real_group: { id: String(after.gid) },
      saved_group: { id: String(after.sgid) },
      ...(after.groups ? { supplemental_groups: after.groups.map((g) => ({ id: String(g) })) } : {}),
    });
  }
  left.add('credentials', event.credentials);
  return true;
}
