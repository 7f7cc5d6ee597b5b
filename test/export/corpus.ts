/**
 * Where the shared test corpus lives (`EDRKIT_CORPUS`, default `../shared/corpus` beside the repo).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of the corpus folder (may not exist). */
export const CORPUS_DIR = process.env.EDRKIT_CORPUS ?? path.resolve(repoRoot, '../shared/corpus');
/** The OCSF schema snapshot inside the corpus. */
export const OCSF_DIR = path.join(CORPUS_DIR, 'ocsf');
/** True when the OCSF schema snapshot is present. */
export const HAVE_OCSF = existsSync(path.join(OCSF_DIR, 'dictionary.json'));
/** Reason printed when tests skip for lack of the corpus. */
export const NO_OCSF_REASON = `OCSF schema not found at ${OCSF_DIR} (set EDRKIT_CORPUS to the shared corpus folder)`;
