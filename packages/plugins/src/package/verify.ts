/**
 * Verify a signed package (plugin or content pack): read it once, check the signature
 * against a given key or the trust store, the revocation list, quarantine, anti-rollback,
 * then every file digest. The returned {@link VerifiedPackage} holds the verified bytes,
 * and those bytes are what gets installed or executed.
 *
 * Order matters: the signature is checked before the manifest is parsed, so unsigned
 * input never reaches anything but the small minisign parser.
 *
 * @module
 */
import { PluginError } from '../errors.js';
import { parseSignature, verifySignature } from '../signing/signature.js';
import type { MinisignPublicKey } from '../signing/keys.js';
import type { TrustStore } from '../trust/trust-store.js';
import { readPackageBytes, sha256Digest } from './files.js';

/** What every signed manifest has. */
export interface SignedManifestBase {
  name: string;
  version: string;
  files: Record<string, string>;
}

/** A package whose signature, trust and file digests were all verified. */
export interface VerifiedPackage<M extends SignedManifestBase = SignedManifestBase> {
  readonly type: 'plugin' | 'content';
  /** Absolute directory the package was read from (never read again). */
  readonly dir: string;
  readonly manifestName: string;
  readonly manifest: M;
  readonly manifestBytes: Buffer;
  readonly signatureBytes: Buffer;
  /** `sha256:<hex>` of the manifest bytes: identifies this exact build (revocation, quarantine). */
  readonly digest: string;
  /** Verified bytes of every listed file, by relative path. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly signer: { readonly keyIdHex: string; readonly algorithm: 'ED' | 'Ed'; readonly trustedComment: string };
}

/** Options of {@link verifyPackage} and the loaders built on it. */
export interface VerifyOptions {
  /**
   * Keys to verify with (e.g. `--key NAME.pub`). When given, these are trusted for any
   * name; the trust store, if also given, still applies revocation, quarantine and
   * anti-rollback.
   */
  keys?: readonly MinisignPublicKey[];
  /** Trust store: trusted keys and names, revocation, quarantine, anti-rollback. */
  trustStore?: TrustStore;
  /** Clock for expiry checks. */
  now?: Date;
  /** A digest exempt from anti-rollback (restoring the recorded last-known-good build). */
  allowRollbackDigest?: string;
  /** Skip the quarantine check (used only to inspect a quarantined build). */
  ignoreQuarantine?: boolean;
}

/** How a manifest type is parsed. */
export interface ManifestKind<M extends SignedManifestBase> {
  readonly type: 'plugin' | 'content';
  readonly fileName: string;
  parse(bytes: Uint8Array, where: string): M;
}

/**
 * Verify the package in `dir`.
 * @throws {@link PluginError} with code `ERR_PLUGIN_BAD_SIGNATURE`, `ERR_PLUGIN_UNTRUSTED_KEY`,
 *   `ERR_PLUGIN_REVOKED`, `ERR_PLUGIN_EXPIRED`, `ERR_PLUGIN_MANIFEST`, `ERR_PLUGIN_QUARANTINED`,
 *   `ERR_PLUGIN_DOWNGRADE`, `ERR_PLUGIN_TAMPERED`, `ERR_PLUGIN_DUPLICATE_KEY` or `ERR_PLUGIN_IO`.
 */
export function verifyPackage<M extends SignedManifestBase>(dir: string, kind: ManifestKind<M>, options: VerifyOptions): VerifiedPackage<M> {
  const { keys, trustStore, now = new Date() } = options;
  if (!keys?.length && !trustStore) throw new PluginError('ERR_PLUGIN_UNTRUSTED_KEY', `${dir}: no public key and no trust store to verify with (pass --key NAME.pub)`);
  const bytes = readPackageBytes(dir, kind.fileName);
  const where = `${dir}/${kind.fileName}`;
  if (!bytes.signature) {
    throw new PluginError('ERR_PLUGIN_BAD_SIGNATURE', `${where}.minisig is missing; sign the package with \`edrkit plugin sign ${dir} --key NAME.key\``);
  }
  let sig;
  try {
    sig = parseSignature(bytes.signature);
  } catch (error) {
    if (error instanceof PluginError) throw new PluginError(error.code, `${where}.minisig: ${error.message}`, { cause: error });
    throw error;
  }
  const digest = sha256Digest(bytes.manifest);
  if (trustStore?.isKeyRevoked(sig.keyIdHex)) throw new PluginError('ERR_PLUGIN_REVOKED', `${where}: signed by revoked key ${sig.keyIdHex}`);

  let key: MinisignPublicKey;
  if (keys?.length) {
    const match = keys.find((k) => k.keyId.equals(sig.keyId));
    if (!match) {
      throw new PluginError('ERR_PLUGIN_UNTRUSTED_KEY', `${where}: signed by key ${sig.keyIdHex}, not by ${keys.map((k) => k.keyIdHex).join(' or ')}`);
    }
    key = match;
  } else {
    key = (trustStore as TrustStore).signerFor(sig.keyIdHex, undefined, now);
  }
  const verified = verifySignature(bytes.manifest, sig, key);

  const manifest = kind.parse(bytes.manifest, where);
  const { name, version } = manifest;
  if (trustStore) {
    if (!keys?.length) trustStore.signerFor(sig.keyIdHex, name, now);
    if (trustStore.isDigestRevoked(digest)) throw new PluginError('ERR_PLUGIN_REVOKED', `${name} ${version} (${digest}) is revoked`, { plugin: name });
    if (!options.ignoreQuarantine && trustStore.isQuarantined(digest)) {
      throw new PluginError('ERR_PLUGIN_QUARANTINED', `${name} ${version} is quarantined after repeated failures; release it with \`edrkit plugin release ${name}\``, { plugin: name });
    }
    trustStore.checkRollback(name, version, digest, options.allowRollbackDigest);
  }

  // A Map, so names such as `constructor` or `__proto__` are ordinary keys: `rel in
  // manifest.files` would be true for every Object.prototype member.
  const listed = new Map(Object.entries(manifest.files));
  for (const [rel, expected] of listed) {
    const file = bytes.files.get(rel);
    if (!file) throw new PluginError('ERR_PLUGIN_TAMPERED', `${dir}: '${rel}' is listed in the signed manifest but missing`, { plugin: name });
    if (sha256Digest(file) !== expected) {
      throw new PluginError('ERR_PLUGIN_TAMPERED', `${dir}: '${rel}' does not match its signed digest (the file was changed after signing)`, { plugin: name });
    }
  }
  for (const rel of bytes.files.keys()) {
    if (!listed.has(rel)) {
      throw new PluginError('ERR_PLUGIN_TAMPERED', `${dir}: '${rel}' is not listed in the signed manifest (remove it, or re-sign the package)`, { plugin: name });
    }
  }
  return {
    type: kind.type,
    dir: bytes.dir,
    manifestName: kind.fileName,
    manifest,
    manifestBytes: bytes.manifest,
    signatureBytes: bytes.signature,
    digest,
    files: bytes.files,
    signer: { keyIdHex: verified.keyIdHex, algorithm: verified.algorithm, trustedComment: verified.trustedComment },
  };
}
