/**
 * A user (a process's, or a file's owner) in the one string form both OCSF (`uid`) and ECS
 * (`id`) want: the Windows SID when there is one, else the POSIX uid.
 *
 * @module
 */

/** The user id as a string (SID first, then uid), or `undefined` when unknown. */
export function userIdOf(who: { sid?: string | undefined; uid?: number | undefined }): string | undefined {
  return who.sid ?? (who.uid !== undefined ? String(who.uid) : undefined);
}
