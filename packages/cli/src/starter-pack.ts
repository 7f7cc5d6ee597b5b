/**
 * The starter rule pack: Sigma rules written by the edrkit project, shipped in this package
 * as a signed content pack (`content/starter-rules`) with the project's public key beside it
 * (`content/edrkit-starter.pub`). `edrkit detect` runs it when no `--rules` is given.
 *
 * The signature is checked on every load, with the shipped key only (not the trust store:
 * the pack is part of the program, not installed content), so a pack edited after signing
 * is refused instead of silently running other rules.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadContentPack, parsePublicKey, type ContentPack } from '@edrkit/plugins';
import { loadRulesFromText, type LoadedRule } from '@edrkit/sigma';

// src/ and dist/ are both one level below the package root.
const contentDir = fileURLToPath(new URL('../content/', import.meta.url));

/** Directory of the signed starter pack. */
export const STARTER_PACK_DIR = `${contentDir}starter-rules`;
/** The project public key the starter pack is verified with. */
export const STARTER_PACK_KEY = `${contentDir}edrkit-starter.pub`;

/** The verified starter pack and its rules. */
export interface StarterRules {
  readonly pack: ContentPack;
  /** One entry per rule document, labelled `edrkit-starter/rules/<file>`. */
  readonly rules: LoadedRule[];
}

/**
 * Verify the starter pack and compile its rules from the verified bytes.
 * @throws {@link PluginError} (`ERR_PLUGIN_TAMPERED`, `ERR_PLUGIN_BAD_SIGNATURE`, …) when the
 *   pack does not verify against the shipped key.
 */
export function loadStarterRules(dir = STARTER_PACK_DIR, keyFile = STARTER_PACK_KEY): StarterRules {
  const pack = loadContentPack(dir, { keys: [parsePublicKey(readFileSync(keyFile))] });
  const rules: LoadedRule[] = [];
  for (const [rel, bytes] of [...pack.files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!/\.ya?ml$/i.test(rel)) continue;
    rules.push(...loadRulesFromText(bytes.toString('utf8'), { path: `${pack.manifest.name}/${rel}` }));
  }
  return { pack, rules };
}
