/**
 * On-disk formats of the trust store under `EDRKIT_HOME/plugins/` and their atomic,
 * validated reading and writing. A corrupt file is an error naming the file, never a
 * silently empty trust store (that would turn "revoked" into "unknown").
 *
 * @module
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { PluginError } from '../errors.js';
import { findDuplicateKey } from '../package/json-keys.js';
import { describeIssues } from '../package/manifest.js';

/** `EDRKIT_HOME`, or `~/.edrkit` when unset. */
export function defaultEdrkitHome(): string {
  const env = process.env['EDRKIT_HOME'];
  return env !== undefined && env !== '' ? path.resolve(env) : path.join(os.homedir(), '.edrkit');
}

/**
 * A record keyed by package name or version, as a null-prototype object: a plugin named
 * `constructor` must not find `Object.prototype.constructor` as its install record.
 */
function nullProtoRecord<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).transform((r) => Object.assign(Object.create(null) as Record<string, z.infer<T>>, r));
}

const iso = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO date');

/** One trusted publisher key. */
export const TrustedKeySchema = z.strictObject({
  /** Key id as minisign prints it (16 upper-case hex digits). */
  keyId: z.string().regex(/^[0-9A-F]{16}$/),
  /** The key's base64 line (`Ed` ‖ key id ‖ public key). */
  publicKey: z.string(),
  /** Plugin / content names this key may sign: exact names, `prefix-*`, or `*`. */
  names: z.array(z.string().min(1)).min(1),
  /** After this instant the key is no longer trusted. */
  expires: iso.optional(),
  comment: z.string().optional(),
  addedAt: iso,
});
/** One trusted publisher key as stored. */
export type TrustedKeyRecord = z.infer<typeof TrustedKeySchema>;

const RevocationSchema = z.strictObject({ value: z.string(), reason: z.string().optional(), at: iso });
/** A revoked key id or manifest digest. */
export type RevocationRecord = z.infer<typeof RevocationSchema>;

/** `trust.json`: keys and revocations (what an operator edits). */
export const TrustFileSchema = z.strictObject({
  version: z.literal(1),
  keys: z.array(TrustedKeySchema),
  revokedKeys: z.array(RevocationSchema),
  revokedDigests: z.array(RevocationSchema),
});
/** Content of `trust.json`. */
export type TrustFile = z.infer<typeof TrustFileSchema>;

const InstalledVersionSchema = z.strictObject({
  digest: z.string(),
  keyId: z.string(),
  installedAt: iso,
  /** `plugin` or `content`. */
  type: z.enum(['plugin', 'content']),
});

/** Per-name installation record. */
export const PackageStateSchema = z.strictObject({
  /** Highest version ever installed: the anti-rollback floor. */
  highest: z.string(),
  /** Version the host runs. */
  active: z.string(),
  versions: nullProtoRecord(InstalledVersionSchema),
  /** Last version that ran without failing (restored on quarantine). */
  lastKnownGood: z.string().optional(),
});
/** Per-name installation record. */
export type PackageState = z.infer<typeof PackageStateSchema>;

/** A quarantined package build (by manifest digest). */
export const QuarantineSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
  digest: z.string(),
  reason: z.string(),
  at: iso,
});
/** A quarantined package build. */
export type QuarantineRecord = z.infer<typeof QuarantineSchema>;

/** `state.json`: what is installed, last-known-good versions, quarantine. */
export const StateFileSchema = z.strictObject({
  version: z.literal(1),
  packages: nullProtoRecord(PackageStateSchema),
  quarantine: z.array(QuarantineSchema),
});
/** Content of `state.json`. */
export type StateFile = z.infer<typeof StateFileSchema>;

/** Read and validate a JSON file, or return `fallback` when it does not exist. */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>, fallback: T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw new PluginError('ERR_PLUGIN_TRUST_STORE', `${file}: cannot read (${(cause as NodeJS.ErrnoException).code ?? cause})`, { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new PluginError('ERR_PLUGIN_TRUST_STORE', `${file}: not valid JSON; fix or remove it`, { cause });
  }
  // trust.json is edited by hand: a key stated twice must not silently pick one of its values.
  const duplicate = findDuplicateKey(text);
  if (duplicate) throw new PluginError('ERR_PLUGIN_TRUST_STORE', `${file}: key '${duplicate.key}' appears twice at ${duplicate.path}; fix the file`);
  const result = schema.safeParse(value);
  if (!result.success) throw new PluginError('ERR_PLUGIN_TRUST_STORE', `${file}: ${describeIssues(result.error)}`);
  return result.data;
}

/**
 * Write JSON atomically and durably: a temp file in the same directory, fsync, rename over
 * the target, fsync the directory. A crash leaves the old or the new file, never half of one.
 */
export function writeJsonFile(file: string, value: unknown): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(value, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (cause) {
    rmSync(tmp, { force: true });
    throw new PluginError('ERR_PLUGIN_TRUST_STORE', `${file}: cannot write (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
  }
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Directories cannot be opened or fsynced on Windows; the rename is still atomic there.
  }
}

/** Minisign key ids as this repo prints them: 16 hex digits. */
const KEY_ID = /^[0-9A-Fa-f]{16}$/;
/** Manifest digests: `sha256:` and 64 hex digits. */
const DIGEST = /^sha256:[0-9A-Fa-f]{64}$/;

/**
 * Normalise a key id given by an operator (`revoke --key-id`), upper-case.
 * @throws {@link PluginError} `ERR_PLUGIN_BAD_KEY_ID` naming the input.
 */
export function parseKeyId(input: string): string {
  if (!KEY_ID.test(input)) {
    throw new PluginError('ERR_PLUGIN_BAD_KEY_ID', `key id ${JSON.stringify(input.slice(0, 100))} is not a minisign key id (16 hex digits, as \`edrkit plugin verify\` and \`minisign\` print it)`);
  }
  return input.toUpperCase();
}

/**
 * Normalise a manifest digest given by an operator (`revoke --digest`), lower-case.
 * @throws {@link PluginError} `ERR_PLUGIN_BAD_DIGEST` naming the input.
 */
export function parseDigest(input: string): string {
  if (!DIGEST.test(input)) {
    throw new PluginError('ERR_PLUGIN_BAD_DIGEST', `digest ${JSON.stringify(input.slice(0, 100))} is not a manifest digest ("sha256:" and 64 hex digits, as \`edrkit plugin verify\` prints it)`);
  }
  return input.toLowerCase();
}
