/**
 * minisign signatures: parse, create and verify, with Node's crypto only.
 *
 * File format (four lines):
 * ```
 * untrusted comment: <text, not authenticated>
 * base64(alg (2) ‖ key id (8) ‖ signature (64))
 * trusted comment: <text, signed>
 * base64(global signature (64))
 * ```
 * `alg` is `ED` (the message is BLAKE2b-512 prehashed, the default) or `Ed` (legacy: the
 * message itself is signed). The global signature covers signature ‖ trusted comment, so
 * the trusted comment cannot be changed without the secret key.
 *
 * @module
 */
import { createHash, sign as edSign, verify as edVerify } from 'node:crypto';
import { PluginError } from '../errors.js';
import { decodeBase64Exact, smallText, splitLines } from './encoding.js';
import { keyIdToHex, type MinisignPublicKey, type MinisignSecretKey } from './keys.js';

const ALG_LEGACY = 'Ed';
const ALG_PREHASHED = 'ED';
const UNTRUSTED_PREFIX = 'untrusted comment: ';
const TRUSTED_PREFIX = 'trusted comment: ';
/** minisign refuses trusted comments of this many bytes or more (with their prefix). */
const TRUSTED_COMMENT_MAX = 8192 - TRUSTED_PREFIX.length - 1;

/** A parsed minisign signature. */
export interface MinisignSignature {
  /** `ED`: BLAKE2b-512 prehashed (default); `Ed`: legacy, the message signed as is. */
  readonly algorithm: 'ED' | 'Ed';
  readonly keyId: Buffer;
  readonly keyIdHex: string;
  /** 64-byte Ed25519 signature over the message (or its BLAKE2b-512 hash). */
  readonly signature: Buffer;
  readonly untrustedComment: string;
  /** Authenticated by {@link globalSignature}. */
  readonly trustedComment: string;
  /** 64-byte Ed25519 signature over `signature ‖ trustedComment`. */
  readonly globalSignature: Buffer;
}

/** Options of {@link signMessage}. */
export interface SignOptions {
  /** Signed comment (one line). Default: `timestamp:<unix seconds>` plus `\thashed` for ED. */
  trustedComment?: string;
  /** Unsigned comment (one line). Default: `signature from minisign secret key`. */
  untrustedComment?: string;
  /** Sign the message itself (`Ed`) instead of its BLAKE2b-512 hash (`ED`). Default false. */
  legacy?: boolean;
}

/** BLAKE2b-512 of `message`, what `ED` signatures sign. */
export function blake2b512(message: Uint8Array): Buffer {
  return createHash('blake2b512').update(message).digest();
}

function oneLine(text: string, what: string): string {
  if (/[\r\n]/.test(text)) throw new PluginError('ERR_PLUGIN_BAD_SIGNATURE', `${what} must be a single line`);
  return text;
}

/** Sign `message` with `key`, returning the signature in minisign's format. */
export function signMessage(message: Uint8Array, key: MinisignSecretKey, options: SignOptions = {}): MinisignSignature {
  const legacy = options.legacy ?? false;
  const trustedComment = oneLine(
    options.trustedComment ?? `timestamp:${Math.floor(Date.now() / 1000)}${legacy ? '' : '\thashed'}`,
    'trusted comment',
  );
  if (Buffer.byteLength(trustedComment) > TRUSTED_COMMENT_MAX) {
    throw new PluginError('ERR_PLUGIN_BAD_SIGNATURE', `trusted comment longer than ${TRUSTED_COMMENT_MAX} bytes`);
  }
  const signature = edSign(null, legacy ? message : blake2b512(message), key.keyObject);
  const globalSignature = edSign(null, Buffer.concat([signature, Buffer.from(trustedComment)]), key.keyObject);
  return {
    algorithm: legacy ? ALG_LEGACY : ALG_PREHASHED,
    keyId: key.keyId,
    keyIdHex: key.keyIdHex,
    signature,
    untrustedComment: oneLine(options.untrustedComment ?? 'signature from minisign secret key', 'untrusted comment'),
    trustedComment,
    globalSignature,
  };
}

/** Format a signature as a `.minisig` file. */
export function formatSignature(sig: MinisignSignature): string {
  const body = Buffer.concat([Buffer.from(sig.algorithm, 'latin1'), sig.keyId, sig.signature]).toString('base64');
  return `${UNTRUSTED_PREFIX}${sig.untrustedComment}\n${body}\n${TRUSTED_PREFIX}${sig.trustedComment}\n${sig.globalSignature.toString('base64')}\n`;
}

/**
 * Parse a `.minisig` file.
 * @throws {@link PluginError} `ERR_PLUGIN_BAD_SIGNATURE` naming the bad line.
 */
export function parseSignature(input: string | Uint8Array): MinisignSignature {
  const lines = splitLines(smallText(input, 'signature', 'ERR_PLUGIN_BAD_SIGNATURE'));
  if (lines.length !== 4) {
    throw new PluginError('ERR_PLUGIN_BAD_SIGNATURE', `signature: expected 4 lines, found ${lines.length}`);
  }
  const [untrusted = '', body = '', trusted = '', global = ''] = lines;
  if (!untrusted.startsWith(UNTRUSTED_PREFIX)) {
    throw new PluginError('ERR_PLUGIN_BAD_SIGNATURE', `signature line 1: must start with "${UNTRUSTED_PREFIX}"`);
  }
  if (!trusted.startsWith(TRUSTED_PREFIX)) {
    throw new PluginError('ERR_PLUGIN_BAD_SIGNATURE', `signature line 3: must start with "${TRUSTED_PREFIX}"`);
  }
  const bytes = decodeBase64Exact(body.trim(), 74, 'signature line 2', 'ERR_PLUGIN_BAD_SIGNATURE');
  const algorithm = bytes.subarray(0, 2).toString('latin1');
  if (algorithm !== ALG_LEGACY && algorithm !== ALG_PREHASHED) {
    throw new PluginError('ERR_PLUGIN_BAD_SIGNATURE', 'signature line 2: unsupported algorithm (expected ED or Ed)');
  }
  const keyId = Buffer.from(bytes.subarray(2, 10));
  return {
    algorithm,
    keyId,
    keyIdHex: keyIdToHex(keyId),
    signature: Buffer.from(bytes.subarray(10, 74)),
    untrustedComment: untrusted.slice(UNTRUSTED_PREFIX.length),
    // minisign trims trailing whitespace (it reads with fgets and trims \r\n).
    trustedComment: trusted.slice(TRUSTED_PREFIX.length).replace(/[\r\n]+$/, ''),
    globalSignature: decodeBase64Exact(global.trim(), 64, 'signature line 4', 'ERR_PLUGIN_BAD_SIGNATURE'),
  };
}

/** Result of {@link verifySignature}: what was verified. */
export interface VerifiedSignature {
  readonly keyIdHex: string;
  readonly algorithm: 'ED' | 'Ed';
  /** The authenticated trusted comment. */
  readonly trustedComment: string;
}

/**
 * Verify `sig` over `message` with `key`: key ids must match, the signature must verify
 * over the message (or its BLAKE2b-512 hash for `ED`), and the global signature over the
 * trusted comment.
 * @throws {@link PluginError} `ERR_PLUGIN_UNTRUSTED_KEY` for another key's signature,
 *   `ERR_PLUGIN_BAD_SIGNATURE` when either signature fails.
 */
export function verifySignature(message: Uint8Array, sig: MinisignSignature, key: MinisignPublicKey): VerifiedSignature {
  if (!sig.keyId.equals(key.keyId)) {
    throw new PluginError(
      'ERR_PLUGIN_UNTRUSTED_KEY',
      `signed by key ${sig.keyIdHex}, but the public key given is ${key.keyIdHex}`,
    );
  }
  const signed = sig.algorithm === ALG_PREHASHED ? blake2b512(message) : message;
  if (!edVerify(null, signed, key.keyObject, sig.signature)) {
    throw new PluginError('ERR_PLUGIN_BAD_SIGNATURE', `signature verification failed (key ${key.keyIdHex}): the signed content was changed`);
  }
  const commentMessage = Buffer.concat([sig.signature, Buffer.from(sig.trustedComment)]);
  if (!edVerify(null, commentMessage, key.keyObject, sig.globalSignature)) {
    throw new PluginError('ERR_PLUGIN_BAD_SIGNATURE', `trusted comment signature verification failed (key ${key.keyIdHex}): the trusted comment was changed`);
  }
  return { keyIdHex: sig.keyIdHex, algorithm: sig.algorithm, trustedComment: sig.trustedComment };
}
