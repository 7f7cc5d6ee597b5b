/**
 * Re-sign the starter rule pack (packages/cli/content/starter-rules) after a rule changed:
 * fill in the file digests of edrkit-content.json and sign it with the project's secret key.
 * Bump `version` in edrkit-content.json first (installed packs refuse a same-version rebuild).
 *
 *   npm run sign:starter -- --key PATH/edrkit-starter.key       # the project key (kept off the repository)
 *   npm run sign:starter -- --new-key PATH/edrkit-starter.key   # rotate: new key pair, writes the .pub beside the pack
 *
 * Refuses a key whose public half is not the shipped edrkit-starter.pub (unless rotating),
 * so the pack in the repository always verifies against the key the CLI ships.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPublicKey, formatSecretKey, generateKeyPair, loadContentPack, parsePublicKey, parseSecretKey, publicKeyOf, signPackage } from '@edrkit/plugins';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const content = path.join(root, 'packages/cli/content');
const pack = path.join(content, 'starter-rules');
const pubFile = path.join(content, 'edrkit-starter.pub');

const [flag, keyFile] = process.argv.slice(2);
if ((flag !== '--key' && flag !== '--new-key') || !keyFile) {
  console.error('usage: npm run sign:starter -- --key FILE.key | --new-key FILE.key');
  process.exit(2);
}

let secret;
if (flag === '--new-key') {
  if (existsSync(keyFile)) throw new Error(`${keyFile} exists; refusing to overwrite a secret key`);
  const pair = generateKeyPair();
  writeFileSync(keyFile, formatSecretKey(pair.secretKey), { mode: 0o600 });
  writeFileSync(pubFile, formatPublicKey(pair.publicKey));
  secret = pair.secretKey;
  console.error(`sign-starter-pack: new key ${pair.publicKey.keyIdHex}: secret ${keyFile} (keep it off the repository), public ${path.relative(root, pubFile)}`);
} else {
  secret = parseSecretKey(readFileSync(keyFile));
  const shipped = parsePublicKey(readFileSync(pubFile));
  if (publicKeyOf(secret).keyIdHex !== shipped.keyIdHex) {
    throw new Error(`${keyFile} (key ${publicKeyOf(secret).keyIdHex}) is not the key of ${path.relative(root, pubFile)} (${shipped.keyIdHex}); rotate with --new-key`);
  }
}
const info = signPackage(pack, secret, { manifestName: 'edrkit-content.json', trustedComment: 'edrkit starter rule pack' });
const verified = loadContentPack(pack, { keys: [parsePublicKey(readFileSync(pubFile))] });
console.error(`sign-starter-pack: ${verified.manifest.name} ${verified.manifest.version}: ${Object.keys(info.files).length} files signed, ${info.digest}`);
