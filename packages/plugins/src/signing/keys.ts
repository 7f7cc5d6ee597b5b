/**
 * Ed25519 key pairs in minisign's file formats, built on Node's crypto only.
 *
 * Public key file:  `untrusted comment: …\n` + base64(`Ed` ‖ key id (8) ‖ public key (32)).
 * Secret key file:  `untrusted comment: …\n` + base64(`Ed` ‖ kdf alg (2) ‖ `B2` ‖ salt (32) ‖
 * opslimit (8) ‖ memlimit (8) ‖ key id (8) ‖ seed‖pk (64) ‖ checksum (32)). edrkit writes and
 * reads only unencrypted keys (kdf alg `\0\0`, as `minisign -G -W` writes them; minisign
 * leaves the checksum zero then and does not check it).
 *
 * @module
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { PluginError } from '../errors.js';
import { decodeBase64Exact, smallText, splitLines } from './encoding.js';

const SIG_ALG = Buffer.from('Ed', 'latin1');
const CHK_ALG = Buffer.from('B2', 'latin1');
const KDF_NONE = Buffer.from([0, 0]);
const KDF_SCRYPT = Buffer.from('Sc', 'latin1');
const PUBLIC_KEY_BYTES = 2 + 8 + 32;
const SECRET_KEY_BYTES = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32;
const COMMENT_PREFIX = 'untrusted comment: ';
// DER headers that wrap a raw 32-byte Ed25519 key into SPKI / PKCS#8 (RFC 8410).
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** A minisign public key. */
export interface MinisignPublicKey {
  /** 8-byte key id as stored (little-endian). */
  readonly keyId: Buffer;
  /** Key id as minisign prints it: 16 upper-case hex digits. */
  readonly keyIdHex: string;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  /** Node key object for `crypto.verify`. */
  readonly keyObject: KeyObject;
  /** The base64 line (what `minisign -P` takes). */
  readonly base64: string;
  /** The untrusted comment of the file, if any (not authenticated). */
  readonly comment: string | undefined;
}

/** A minisign secret key (unencrypted in memory). */
export interface MinisignSecretKey {
  readonly keyId: Buffer;
  readonly keyIdHex: string;
  /** Raw 32-byte Ed25519 seed. */
  readonly seed: Buffer;
  readonly publicKey: Buffer;
  /** Node key object for `crypto.sign`. */
  readonly keyObject: KeyObject;
}

/** A freshly generated key pair. */
export interface MinisignKeyPair {
  readonly publicKey: MinisignPublicKey;
  readonly secretKey: MinisignSecretKey;
}

/** Key id as minisign prints it (`%016llX` of the little-endian 64-bit number). */
export function keyIdToHex(keyId: Uint8Array): string {
  return Buffer.from(keyId).reverse().toString('hex').toUpperCase();
}

/** Node public KeyObject from a raw 32-byte Ed25519 key. */
export function ed25519PublicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Node private KeyObject from a raw 32-byte Ed25519 seed. */
export function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

function makePublicKey(keyId: Buffer, publicKey: Buffer, comment: string | undefined): MinisignPublicKey {
  let keyObject: KeyObject;
  try {
    keyObject = ed25519PublicKeyObject(publicKey);
  } catch (cause) {
    throw new PluginError('ERR_PLUGIN_KEY', 'public key: not a valid Ed25519 point', { cause });
  }
  const base64 = Buffer.concat([SIG_ALG, keyId, publicKey]).toString('base64');
  return { keyId, keyIdHex: keyIdToHex(keyId), publicKey, keyObject, base64, comment };
}

/** Generate a new Ed25519 key pair with a random 8-byte key id. */
export function generateKeyPair(): MinisignKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url');
  const pk = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
  const keyId = randomBytes(8);
  return {
    publicKey: makePublicKey(keyId, pk, undefined),
    secretKey: { keyId, keyIdHex: keyIdToHex(keyId), seed, publicKey: pk, keyObject: privateKey },
  };
}

/**
 * Parse a minisign public key: the two-line `.pub` file, or the bare base64 string that
 * `minisign -P` takes.
 * @throws {@link PluginError} `ERR_PLUGIN_KEY` naming what is wrong.
 */
export function parsePublicKey(input: string | Uint8Array): MinisignPublicKey {
  const lines = splitLines(smallText(input, 'public key', 'ERR_PLUGIN_KEY').trim());
  let comment: string | undefined;
  let line: string | undefined;
  if (lines.length === 1) {
    line = lines[0];
  } else if (lines.length === 2 && lines[0]?.startsWith(COMMENT_PREFIX)) {
    comment = lines[0].slice(COMMENT_PREFIX.length);
    line = lines[1];
  } else {
    throw new PluginError('ERR_PLUGIN_KEY', `public key: expected "${COMMENT_PREFIX}…" and one base64 line`);
  }
  const bytes = decodeBase64Exact((line ?? '').trim(), PUBLIC_KEY_BYTES, 'public key', 'ERR_PLUGIN_KEY');
  if (!bytes.subarray(0, 2).equals(SIG_ALG)) {
    throw new PluginError('ERR_PLUGIN_KEY', 'public key: unsupported signature algorithm (expected Ed)');
  }
  return makePublicKey(Buffer.from(bytes.subarray(2, 10)), Buffer.from(bytes.subarray(10, 42)), comment);
}

/**
 * Parse a minisign secret key file. Only unencrypted keys (`minisign -G -W`, or
 * `edrkit plugin keygen`) are supported.
 * @throws {@link PluginError} `ERR_PLUGIN_KEY`.
 */
export function parseSecretKey(input: string | Uint8Array): MinisignSecretKey {
  const lines = splitLines(smallText(input, 'secret key', 'ERR_PLUGIN_KEY').trim());
  if (lines.length !== 2 || !lines[0]?.startsWith(COMMENT_PREFIX)) {
    throw new PluginError('ERR_PLUGIN_KEY', `secret key: expected "${COMMENT_PREFIX}…" and one base64 line`);
  }
  const bytes = decodeBase64Exact((lines[1] ?? '').trim(), SECRET_KEY_BYTES, 'secret key', 'ERR_PLUGIN_KEY');
  if (!bytes.subarray(0, 2).equals(SIG_ALG)) {
    throw new PluginError('ERR_PLUGIN_KEY', 'secret key: unsupported signature algorithm (expected Ed)');
  }
  const kdf = bytes.subarray(2, 4);
  if (kdf.equals(KDF_SCRYPT)) {
    throw new PluginError(
      'ERR_PLUGIN_KEY',
      'secret key: the key is password-protected; edrkit reads only unencrypted keys (remove the password with `minisign -C -W -s KEY`)',
    );
  }
  if (!kdf.equals(KDF_NONE)) throw new PluginError('ERR_PLUGIN_KEY', 'secret key: unsupported key derivation function');
  if (!bytes.subarray(4, 6).equals(CHK_ALG)) {
    throw new PluginError('ERR_PLUGIN_KEY', 'secret key: unsupported checksum function (expected B2)');
  }
  const keyId = Buffer.from(bytes.subarray(54, 62));
  const seed = Buffer.from(bytes.subarray(62, 94));
  const publicKey = Buffer.from(bytes.subarray(94, 126));
  let keyObject: KeyObject;
  try {
    keyObject = ed25519PrivateKeyObject(seed);
  } catch (cause) {
    throw new PluginError('ERR_PLUGIN_KEY', 'secret key: not a valid Ed25519 seed', { cause });
  }
  // The stored public half must belong to the seed, or every signature would fail to verify.
  const derived = Buffer.from(createPublicKey(keyObject).export({ format: 'jwk' }).x ?? '', 'base64url');
  if (!derived.equals(publicKey)) {
    throw new PluginError('ERR_PLUGIN_KEY', 'secret key: the public half does not match the seed (corrupt key file)');
  }
  return { keyId, keyIdHex: keyIdToHex(keyId), seed, publicKey, keyObject };
}

/** Public half of a secret key. */
export function publicKeyOf(secretKey: MinisignSecretKey): MinisignPublicKey {
  return makePublicKey(secretKey.keyId, secretKey.publicKey, undefined);
}

/** Format a public key file exactly as `minisign -G` does. */
export function formatPublicKey(key: MinisignPublicKey): string {
  return `${COMMENT_PREFIX}minisign public key ${key.keyIdHex}\n${key.base64}\n`;
}

/**
 * Format an unencrypted secret key file the way `minisign -G -W` does (kdf `\0\0`, zero
 * salt, limits and checksum), so `minisign -S -s` accepts it without a password.
 */
export function formatSecretKey(key: MinisignSecretKey): string {
  const bytes = Buffer.concat([
    SIG_ALG,
    KDF_NONE,
    CHK_ALG,
    Buffer.alloc(32 + 8 + 8),
    key.keyId,
    key.seed,
    key.publicKey,
    Buffer.alloc(32),
  ]);
  return `${COMMENT_PREFIX}minisign encrypted secret key\n${bytes.toString('base64')}\n`;
}
