/**
 * Locating the shared test corpus (never copied into the project).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The corpus folder: `EDRKIT_CORPUS`, else `../shared/corpus` beside the repository. */
export const CORPUS = process.env['EDRKIT_CORPUS'] ?? path.resolve(repoRoot, '../shared/corpus');
/** True when the corpus is present. */
export const HAVE_CORPUS = existsSync(path.join(CORPUS, 'sigma'));
/** The reason tests skip without it. */
export const NO_CORPUS = `Sigma corpus not found at ${CORPUS} (set EDRKIT_CORPUS)`;
