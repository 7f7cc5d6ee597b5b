/**
 * The external test corpus (data written by others: SigmaHQ rules, the Sigma specification's
 * examples, the OCSF schema), read from `EDRKIT_CORPUS` (default `../shared/corpus` beside the
 * repository) and never copied into it.
 *
 * Every test that needs it carries `[corpus:TIER]` in its name (use {@link corpusLabel}), so
 * the corpus reporter (test/corpus-reporter.ts) can end the run with one line naming the
 * tiers that were absent and how many tests they skipped. Tests of edrkit's own behaviour use
 * data the project writes and never need the corpus.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** The corpus folder as given (`EDRKIT_CORPUS`) or by default. */
export const CORPUS_SETTING = process.env['EDRKIT_CORPUS'] ?? '../shared/corpus';
/** Absolute path of the corpus folder (may not exist). */
export const CORPUS_DIR = path.resolve(repoRoot, CORPUS_SETTING);

/** Tiers of the corpus and the file or folder that shows each is present. */
export const CORPUS_TIERS = {
  sigma: 'sigma',
  'sigma-spec': 'sigma-spec',
  ocsf: 'ocsf/dictionary.json',
  eslogger: 'eslogger/mullvadvpn-app-snapshots',
} as const;
/** A corpus tier. */
export type CorpusTier = keyof typeof CORPUS_TIERS;

/** True when the tier's data is present. */
export function haveCorpus(tier: CorpusTier): boolean {
  return existsSync(path.join(CORPUS_DIR, CORPUS_TIERS[tier]));
}

/** A test or suite name for a test that needs `tier`: `NAME [corpus:TIER]`, with the skip reason when absent. */
export function corpusLabel(name: string, tier: CorpusTier): string {
  return `${name} [corpus:${tier}]${haveCorpus(tier) ? '' : ` — skipped: ${path.join(CORPUS_DIR, CORPUS_TIERS[tier])} not found (set EDRKIT_CORPUS)`}`;
}
