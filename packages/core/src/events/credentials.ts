/**
 * The payload of `process.credentials` (model v1.2): the acting process changed its own
 * credentials — user and group ids, supplementary groups or capabilities — through one of the
 * POSIX/Linux set*id calls or capset. The same on every OS that has these calls; backends put
 * OS-specific extras under `raw.<platform>`.
 *
 * @module
 */
import { z } from 'zod';

/** A POSIX user or group id. */
const IdSchema = z.number().int().nonnegative();

/** The call that changed the credentials. */
export const CredentialOperationSchema = z.enum([
  'setuid',
  'setgid',
  'setreuid',
  'setregid',
  'setresuid',
  'setresgid',
  'setfsuid',
  'setfsgid',
  'setgroups',
  'capset',
]);
/** The call that changed the credentials (`setuid`, `setresgid`, `capset`, …). */
export type CredentialOperation = z.infer<typeof CredentialOperationSchema>;

/** Most supplementary groups a credential set carries (Linux NGROUPS_MAX). */
export const MAX_CREDENTIAL_GROUPS = 65536;

/**
 * The ids of a process at one moment: real, effective, saved and file-system user and group
 * ids, and (optional) the supplementary groups.
 */
export const CredentialSetSchema = z.strictObject({
  /** Real user id. */
  uid: IdSchema,
  /** Effective user id (the one permission checks use). */
  euid: IdSchema,
  /** Saved set-user-id. */
  suid: IdSchema,
  /** File-system user id (Linux; equals `euid` unless `setfsuid` changed it). */
  fsuid: IdSchema,
  /** Real group id. */
  gid: IdSchema,
  /** Effective group id. */
  egid: IdSchema,
  /** Saved set-group-id. */
  sgid: IdSchema,
  /** File-system group id. */
  fsgid: IdSchema,
  /**
   * Supplementary group ids, where the backend read them (linux-ebpf: on `setgroups`, the
   * first 16; more are marked in `raw.linux.groupsTruncated`).
   */
  groups: z.array(IdSchema).max(MAX_CREDENTIAL_GROUPS).optional(),
});
/** The ids of a process at one moment. */
export type CredentialSet = z.infer<typeof CredentialSetSchema>;

/** A 64-bit capability mask as /proc/PID/status writes it: 16 lower-case hex digits (`000001ffffffffff`). */
export const CapabilityMaskSchema = z.string().regex(/^[0-9a-f]{16}$/, '16 lower-case hex digits, as /proc/PID/status writes a capability mask');

/** The capability sets of a process at one moment (Linux), as hex masks. */
export const CapabilitySetSchema = z.strictObject({
  effective: CapabilityMaskSchema,
  permitted: CapabilityMaskSchema,
  inheritable: CapabilityMaskSchema,
});
/** The capability sets of a process at one moment. */
export type CapabilitySet = z.infer<typeof CapabilitySetSchema>;

/** `process.credentials` payload: which call, and the credentials before and after it. */
export const CredentialsSchema = z.strictObject({
  operation: CredentialOperationSchema,
  before: CredentialSetSchema,
  after: CredentialSetSchema,
  /**
   * Capability sets before and after, where the backend reads them (Linux): on `capset`, and
   * on any call that changed them as a side effect (a `setuid` away from root clears them).
   */
  capabilities: z.strictObject({ before: CapabilitySetSchema.optional(), after: CapabilitySetSchema.optional() }).optional(),
});
/** `process.credentials` payload. */
export type Credentials = z.infer<typeof CredentialsSchema>;
