import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { tmpDir } from '../testing/fixtures.js';
import { formatPublicKey, formatSecretKey, generateKeyPair, parsePublicKey, parseSecretKey, publicKeyOf } from './keys.js';
import { formatSignature, parseSignature, signMessage, verifySignature } from './signature.js';

const minisign = spawnSync('minisign', ['-v'], { encoding: 'utf8' });
const haveMinisign = minisign.status === 0;
const skipReason = 'the minisign binary is not installed (apt-get install minisign)';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    return (error as PluginError).code;
  }
  return undefined;
}

describe('minisign signatures (Node crypto)', () => {
  it('signs and verifies prehashed (ED) and legacy (Ed) signatures, with the trusted comment', () => {
    const { publicKey, secretKey } = generateKeyPair();
    const message = Buffer.from('hello edrkit\n');
    for (const legacy of [false, true]) {
      const sig = parseSignature(formatSignature(signMessage(message, secretKey, { legacy, trustedComment: 'plugin:x version:1' })));
      expect(sig.algorithm).toBe(legacy ? 'Ed' : 'ED');
      expect(verifySignature(message, sig, publicKey).trustedComment).toBe('plugin:x version:1');
    }
  });

  it('refuses a changed message, a changed trusted comment and another key', () => {
    const { publicKey, secretKey } = generateKeyPair();
    const sig = signMessage(Buffer.from('abc'), secretKey);
    expect(codeOf(() => verifySignature(Buffer.from('abd'), sig, publicKey))).toBe('ERR_PLUGIN_BAD_SIGNATURE');
    expect(codeOf(() => verifySignature(Buffer.from('abc'), { ...sig, trustedComment: 'forged' }, publicKey))).toBe('ERR_PLUGIN_BAD_SIGNATURE');
    expect(codeOf(() => verifySignature(Buffer.from('abc'), sig, generateKeyPair().publicKey))).toBe('ERR_PLUGIN_UNTRUSTED_KEY');
    // Same key id, different key: the signature itself fails.
    const other = generateKeyPair().publicKey;
    const impostor = parsePublicKey(Buffer.concat([Buffer.from('Ed'), publicKey.keyId, other.publicKey]).toString('base64'));
    expect(codeOf(() => verifySignature(Buffer.from('abc'), sig, impostor))).toBe('ERR_PLUGIN_BAD_SIGNATURE');
  });

  it('round-trips key files and names bad ones', () => {
    const { publicKey, secretKey } = generateKeyPair();
    expect(parsePublicKey(formatPublicKey(publicKey)).publicKey.equals(publicKey.publicKey)).toBe(true);
    const sk = parseSecretKey(formatSecretKey(secretKey));
    expect(sk.keyIdHex).toBe(secretKey.keyIdHex);
    expect(publicKeyOf(sk).base64).toBe(publicKey.base64);
    expect(codeOf(() => parsePublicKey('untrusted comment: x\nnot base64!\n'))).toBe('ERR_PLUGIN_KEY');
    expect(codeOf(() => parseSecretKey(formatPublicKey(publicKey)))).toBe('ERR_PLUGIN_KEY');
    expect(codeOf(() => parseSignature('untrusted comment: x\n'))).toBe('ERR_PLUGIN_BAD_SIGNATURE');
  });
});

describe.skipIf(!haveMinisign)(`interop with the minisign binary (${haveMinisign ? minisign.stdout.trim() : skipReason})`, () => {
  it('a file signed by `minisign -S` verifies in edrkit (ED and legacy Ed)', () => {
    const dir = tmpDir();
    const pub = path.join(dir, 'm.pub');
    const key = path.join(dir, 'm.key');
    const file = path.join(dir, 'data.bin');
    execFileSync('minisign', ['-G', '-W', '-p', pub, '-s', key], { stdio: 'pipe' });
    writeFileSync(file, Buffer.from([0, 1, 2, 3, 255, 10, 13]));
    execFileSync('minisign', ['-S', '-s', key, '-m', file, '-t', 'signed by minisign'], { stdio: 'pipe' });
    execFileSync('minisign', ['-S', '-l', '-s', key, '-m', file, '-x', `${file}.legacy`], { stdio: 'pipe' });
    const publicKey = parsePublicKey(readFileSync(pub));
    const message = readFileSync(file);
    const sig = parseSignature(readFileSync(`${file}.minisig`));
    expect(sig.algorithm).toBe('ED');
    expect(verifySignature(message, sig, publicKey).trustedComment).toBe('signed by minisign');
    expect(verifySignature(message, parseSignature(readFileSync(`${file}.legacy`)), publicKey).algorithm).toBe('Ed');
    // A minisign secret key (minisign -G -W) signs in edrkit too.
    const sk = parseSecretKey(readFileSync(key));
    expect(sk.keyIdHex).toBe(publicKey.keyIdHex);
    expect(verifySignature(message, signMessage(message, sk), publicKey).algorithm).toBe('ED');
    // Tampering is caught.
    expect(codeOf(() => verifySignature(Buffer.concat([message, Buffer.from('x')]), sig, publicKey))).toBe('ERR_PLUGIN_BAD_SIGNATURE');
  });

  it('a file signed by edrkit verifies with `minisign -V`, and a tampered one does not', () => {
    const dir = tmpDir();
    const { publicKey, secretKey } = generateKeyPair();
    const pub = path.join(dir, 'e.pub');
    const file = path.join(dir, 'manifest.json');
    writeFileSync(pub, formatPublicKey(publicKey));
    writeFileSync(file, '{"name":"x"}\n');
    writeFileSync(`${file}.minisig`, formatSignature(signMessage(readFileSync(file), secretKey, { trustedComment: 'signed by edrkit' })));
    const out = execFileSync('minisign', ['-V', '-p', pub, '-m', file], { encoding: 'utf8' });
    expect(out).toContain('Trusted comment: signed by edrkit');
    writeFileSync(file, '{"name":"y"}\n');
    expect(spawnSync('minisign', ['-V', '-p', pub, '-m', file]).status).not.toBe(0);
  });

  it('an edrkit secret key file works with `minisign -S`, and its public key file with `minisign -V`', () => {
    const dir = tmpDir();
    const { publicKey, secretKey } = generateKeyPair();
    const pub = path.join(dir, 'e.pub');
    const key = path.join(dir, 'e.key');
    const file = path.join(dir, 'f.txt');
    writeFileSync(pub, formatPublicKey(publicKey));
    writeFileSync(key, formatSecretKey(secretKey));
    writeFileSync(file, 'content\n');
    execFileSync('minisign', ['-S', '-s', key, '-m', file], { stdio: 'pipe' });
    expect(spawnSync('minisign', ['-V', '-p', pub, '-m', file]).status).toBe(0);
    expect(verifySignature(readFileSync(file), parseSignature(readFileSync(`${file}.minisig`)), publicKey).algorithm).toBe('ED');
  });
});
