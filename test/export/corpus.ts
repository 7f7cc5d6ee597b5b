/**
 * Where the shared test corpus lives (`EDRKIT_CORPUS`, default `../shared/corpus` beside the repo).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
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

/** Files under `dir` (recursively, `node_modules` skipped) whose names end with `suffix`; `[]` when `dir` is missing. */
export function filesUnder(dir: string, suffix: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (e === 'node_modules') continue;
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, suffix));
    else if (e.endsWith(suffix)) out.push(p);
  }
  return out;
}
