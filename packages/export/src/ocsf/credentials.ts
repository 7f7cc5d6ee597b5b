/**
 * OCSF mapping of the v1.2 kind `process.credentials`.
 *
 * @module
 */
import type { CredentialSet, EventOfKind } from '@edrkit/core';
import type { ExportOptions } from '../options.js';
import type { Leftovers } from '../unmapped.js';
import { OCSF_CLASSES } from './catalog.js';
import { ocsfEnvelope } from './envelope.js';
import { ocsfProcess } from './objects.js';
import type { OcsfProcessActivity, OcsfUser } from './types.js';

/** OCSF Process Activity `activity_id` 5, "Set User ID". */
const SET_USER_ID = 5;

/** The OCSF user of a credential set: its real uid, named when the event's process has that uid and a name. */
function userOf(ids: CredentialSet, event: EventOfKind<'process.credentials'>): OcsfUser {
  const p = event.process;
  return { uid: String(ids.uid), name: p.uid === ids.uid ? p.user : undefined };
}

/**
 * `process.credentials` -> Process Activity: Set User ID 5, for every operation (OCSF's one
 * activity for a process changing its own identity; the exact call is kept). Reflexive, like
 * Terminate: `actor.process` and `process` are the same process; `actor.user` is who it was
 * before the call, `process.user` who it is after (real uids). The whole before / after sets,
 * the operation and the capabilities go to `unmapped["credentials.*"]`: OCSF's Linux
 * extension has `euid`/`egid` but no saved, file-system or capability attributes, and the
 * records stay within the core schema.
 */
export function processCredentials(event: EventOfKind<'process.credentials'>, options: ExportOptions, left: Leftovers): OcsfProcessActivity {
  const { credentials } = event;
  const process = ocsfProcess(event.process, event.platform, left);
  left.add('credentials.operation', credentials.operation);
  left.add('credentials.before', credentials.before);
  left.add('credentials.after', credentials.after);
  left.add('credentials.capabilities', credentials.capabilities);
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.processActivity, SET_USER_ID, options, left),
    class_uid: 1007,
    actor: { process, user: userOf(credentials.before, event) },
    process: { ...process, user: userOf(credentials.after, event) },
  };
}
