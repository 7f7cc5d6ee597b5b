/**
 * Signing a package directory: fill the manifest's `files` with the digest of every other
 * file, write the manifest, then sign it into `<manifest>.minisig`. Because the manifest
 * names a digest for every file, one signature covers the whole package.
 *
 * @module
 */
import path from 'node:path';
import { PluginError } from '../errors.js';
import { formatSignature, signMessage, type SignOptions } from '../signing/signature.js';
import type { MinisignSecretKey } from '../signing/keys.js';
import { readPackageBytes, sha256Digest, writeFileReplacing } from './files.js';
import { CONTENT_MANIFEST, parseJsonDocument, parsePluginManifest, PLUGIN_MANIFEST } from './manifest.js';
import { parseContentManifest } from '../content/content-manifest.js';

/** Options of {@link signPackage}. */
export interface SignPackageOptions extends SignOptions {
  /** `edrkit-plugin.json` (default) or `edrkit-content.json`. */
  manifestName?: string;
  /** Validate the manifest before signing (default true; tests turn it off to build hostile packages). */
  validate?: boolean;
}

/** What {@link signPackage} wrote. */
export interface SignedPackageInfo {
  readonly manifestPath: string;
  readonly signaturePath: string;
  /** `sha256:` digest of the signed manifest bytes. */
  readonly digest: string;
  readonly files: Readonly<Record<string, string>>;
}

/**
 * Fill in file digests and sign the package in `dir` with `key`.
 * @throws {@link PluginError} `ERR_PLUGIN_MANIFEST` when the manifest is invalid (unless `validate: false`).
 */
export function signPackage(dir: string, key: MinisignSecretKey, options: SignPackageOptions = {}): SignedPackageInfo {
  const manifestName = options.manifestName ?? PLUGIN_MANIFEST;
  const bytes = readPackageBytes(dir, manifestName);
  const where = path.join(dir, manifestName);
  const value = parseJsonDocument(bytes.manifest, where);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PluginError('ERR_PLUGIN_MANIFEST', `${where}: must be a JSON object`);
  }
  // Null prototype: a file named `__proto__` becomes an own key instead of vanishing.
  const files = Object.create(null) as Record<string, string>;
  for (const [rel, content] of [...bytes.files].sort(([a], [b]) => (a < b ? -1 : 1))) files[rel] = sha256Digest(content);
  const manifest = { ...(value as Record<string, unknown>), files };
  if (options.validate ?? true) {
    if (manifestName === CONTENT_MANIFEST) parseContentManifest(manifest, where);
    else parsePluginManifest(manifest, where);
  }
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
  const signature = signMessage(manifestBytes, key, {
    ...options,
    untrustedComment: options.untrustedComment ?? `edrkit signature from key ${key.keyIdHex}`,
  });
  const manifestPath = path.join(bytes.dir, manifestName);
  const signaturePath = `${manifestPath}.minisig`;
  writeFileReplacing(manifestPath, manifestBytes);
  writeFileReplacing(signaturePath, formatSignature(signature));
  return { manifestPath, signaturePath, digest: sha256Digest(manifestBytes), files };
}
