import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContentManifest } from './content/content-manifest.js';
import { PluginError } from './errors.js';
import { parsePluginManifest } from './package/manifest.js';
import { formatPublicKey, formatSecretKey, generateKeyPair, parsePublicKey, parseSecretKey } from './signing/keys.js';
import { formatSignature, parseSignature, signMessage, verifySignature } from './signing/signature.js';

/** Run `fn`; it may return or throw a PluginError, never anything else. */
function onlyPluginErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof PluginError)) throw error;
    expect(error.code).toMatch(/^ERR_PLUGIN_/);
    expect(error.message.length).toBeGreaterThan(0);
  }
}

const { publicKey, secretKey } = generateKeyPair();
const message = Buffer.from('{"name":"fuzz"}\n');
const validSig = formatSignature(signMessage(message, secretKey, { trustedComment: 'fuzz' }));
const validManifest = {
  name: 'fuzz',
  version: '1.0.0',
  entry: 'index.js',
  api: '^1.0.0',
  kinds: ['process.exec'],
  capabilities: ['alert'],
  configSchema: { type: 'object' },
  defaultConfig: {},
  files: { 'index.js': `sha256:${'a'.repeat(64)}` },
};

/** Flip, insert or delete characters of `text` at fuzzed positions. */
const mutated = (text: string) =>
  fc.array(fc.tuple(fc.nat(), fc.constantFrom('flip', 'insert', 'delete'), fc.string({ minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 6 }).map((edits) => {
    let s = text;
    for (const [pos, op, chunk] of edits) {
      const i = pos % (s.length + 1);
      if (op === 'flip' && i < s.length) s = s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ 1) + s.slice(i + 1);
      else if (op === 'insert') s = s.slice(0, i) + chunk + s.slice(i);
      else s = s.slice(0, i) + s.slice(i + 1);
    }
    return s;
  });

describe('fuzzed parsers never crash the host', () => {
  it('public and secret key parsers: arbitrary text and bytes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b))), (input) => {
        onlyPluginErrors(() => parsePublicKey(input));
        onlyPluginErrors(() => parseSecretKey(input));
      }),
      { numRuns: 500 },
    );
  });

  it('key parsers: mutations of valid key files', () => {
    fc.assert(
      fc.property(mutated(formatPublicKey(publicKey)), mutated(formatSecretKey(secretKey)), (pub, sec) => {
        onlyPluginErrors(() => parsePublicKey(pub));
        onlyPluginErrors(() => parseSecretKey(sec));
      }),
      { numRuns: 500 },
    );
  });

  it('signature parser + verifier: mutations of a valid signature never verify unless unchanged in meaning', () => {
    fc.assert(
      fc.property(mutated(validSig), (text) => {
        onlyPluginErrors(() => {
          const sig = parseSignature(text);
          const ok = verifySignature(message, sig, publicKey);
          // Only edits that leave every signed byte equal may verify (e.g. in the untrusted comment).
          expect(ok.trustedComment).toBe('fuzz');
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('signature parser: arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 600 }), (text) => onlyPluginErrors(() => parseSignature(text))), { numRuns: 500 });
  });

  it('manifest parsers: arbitrary JSON values, JSON text and mutated manifests', () => {
    const manifestLike = fc.record(
      {
        name: fc.oneof(fc.string(), fc.constant('fuzz')),
        version: fc.oneof(fc.string(), fc.constant('1.0.0')),
        entry: fc.oneof(fc.string(), fc.constant('index.js'), fc.constant('../x.js')),
        api: fc.oneof(fc.string(), fc.constant('^1.0.0')),
        kinds: fc.oneof(fc.array(fc.string()), fc.constant(['process.exec'])),
        capabilities: fc.array(fc.string()),
        configSchema: fc.oneof(fc.jsonValue(), fc.constant({})),
        defaultConfig: fc.jsonValue(),
        files: fc.dictionary(fc.string(), fc.string()),
        format: fc.constantFrom('sigma', 'json', 'x'),
        extra: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), manifestLike), (value) => {
        onlyPluginErrors(() => parsePluginManifest(value as object));
        onlyPluginErrors(() => parseContentManifest(value as object));
        onlyPluginErrors(() => parsePluginManifest(JSON.stringify(value) ?? 'undefined'));
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(mutated(JSON.stringify(validManifest)), (text) => {
        onlyPluginErrors(() => parsePluginManifest(text));
        onlyPluginErrors(() => parseContentManifest(Buffer.from(text)));
      }),
      { numRuns: 1000 },
    );
  });
});
