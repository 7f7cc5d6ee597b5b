/**
 * Errors of `@edrkit/plugins`. Every refusal carries a stable `code` so callers (and the
 * CLI's exit status) can tell a tampered package from an untrusted key or a downgrade.
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';
import type { FailureCode, RefusalCode } from './host/codes.js';

/** Stable error codes thrown by `@edrkit/plugins`. */
export type PluginErrorCode =
  /** A file's bytes do not match the digest in the signed manifest, or a file is missing/extra. */
  | 'ERR_PLUGIN_TAMPERED'
  /** The signature does not verify, or the signature file is malformed. */
  | 'ERR_PLUGIN_BAD_SIGNATURE'
  /** The signing key is not in the trust store, or may not sign this plugin name. */
  | 'ERR_PLUGIN_UNTRUSTED_KEY'
  /** The signing key or this exact manifest digest is on the revocation list. */
  | 'ERR_PLUGIN_REVOKED'
  /** The package is older than (or a different build of) the version already installed. */
  | 'ERR_PLUGIN_DOWNGRADE'
  /** The trust entry of the signing key has expired. */
  | 'ERR_PLUGIN_EXPIRED'
  /** The manifest is not valid JSON or does not match the manifest schema. */
  | 'ERR_PLUGIN_MANIFEST'
  /** A manifest object states the same key twice (JSON.parse would silently keep the last). */
  | 'ERR_PLUGIN_DUPLICATE_KEY'
  /** A config schema is larger or deeper than edrkit checks (see MAX_SCHEMA_NODES). */
  | 'ERR_PLUGIN_SCHEMA_TOO_LARGE'
  /** A config schema `$ref` is circular, too deep, or points outside the schema. */
  | 'ERR_PLUGIN_SCHEMA_REF'
  /** A config schema `pattern` is not a linear-time (RE2) regular expression. */
  | 'ERR_PLUGIN_SCHEMA_PATTERN'
  /** A config schema is not a JSON Schema (draft 2020-12) edrkit can check. */
  | 'ERR_PLUGIN_SCHEMA_INVALID'
  /** `revoke` was given something that is not a minisign key id (16 hex digits). */
  | 'ERR_PLUGIN_BAD_KEY_ID'
  /** `revoke` was given something that is not a `sha256:` manifest digest. */
  | 'ERR_PLUGIN_BAD_DIGEST'
  /** Another process held the trust store lock for too long. */
  | 'ERR_PLUGIN_TRUST_STORE_LOCKED'
  /** The plugin (this manifest digest) is quarantined after repeated failures. */
  | 'ERR_PLUGIN_QUARANTINED'
  /** A minisign key file is malformed or of an unsupported kind. */
  | 'ERR_PLUGIN_KEY'
  /** The plugin's default config does not match its config schema. */
  | 'ERR_PLUGIN_CONFIG'
  /** The plugin asks for a plugin API version range this host does not provide. */
  | 'ERR_PLUGIN_API'
  /** A package file could not be read (missing directory, permissions, too large). */
  | 'ERR_PLUGIN_IO'
  /** The trust store files under EDRKIT_HOME are unreadable or corrupt. */
  | 'ERR_PLUGIN_TRUST_STORE'
  /** Host limits that cannot become OS limits on macOS/Windows (not positive, not finite). */
  | 'ERR_PLUGIN_LIMITS';

declare module '@edrkit/core' {
  // Every plugin code (package/trust codes here, run-time codes in host/codes.ts) joins core's registry.
  interface ErrorCodes extends Record<PluginErrorCode | FailureCode | RefusalCode, true> {}
}

/** An error about a plugin package, its signature, its trust or its execution. */
export class PluginError extends EdrkitError {
  declare readonly code: PluginErrorCode;
  /** Plugin (or content pack) name, when known. */
  readonly plugin: string | undefined;

  constructor(code: PluginErrorCode, message: string, options?: ErrorOptions & { plugin?: string }) {
    super(code, message, options);
    this.plugin = options?.plugin;
  }
}

/** True when `error` is a {@link PluginError} with the given code. */
export function isPluginError(error: unknown, code?: PluginErrorCode): error is PluginError {
  return error instanceof PluginError && (code === undefined || error.code === code);
}
