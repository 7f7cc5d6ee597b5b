/**
 * The release tarballs (scripts/pack.mjs) installed into an empty app outside the repository,
 * as a user installs them: `npm install` of every tarball at once (third-party dependencies
 * from the registry), but not other platforms' packages. Made once per test file that
 * asks; needs `npm run build` first.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error -- a plain .mjs script without types
import { installableHere, neededLibraries as scriptNeededLibraries } from '../../scripts/platform-packages.mjs';

/** The shared libraries an ELF file names as NEEDED (`readelf -d`; scripts/platform-packages.mjs). */
export const neededLibraries: (file: string) => string[] = scriptNeededLibraries;

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the tarballs are and the app that installed them. */
export interface PackedInstall {
  tarballs: string;
  files: string[];
  app: string;
}

/** Pack every package and install all tarballs into a new empty app. */
export function packAndInstall(): PackedInstall {
  const work = mkdtempSync(path.join(tmpdir(), 'edrkit-packed-'));
  const tarballs = path.join(work, 'tarballs');
  execFileSync('node', [path.join(ROOT, 'scripts/pack.mjs'), '--out', tarballs], { stdio: 'pipe' });
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
  const app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'edrkit-consumer', private: true }));
  // Not another platform's package (a cross or musl build's): npm refuses it by name.
  const here = (installableHere as (files: string[]) => string[])(files);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', ...here.map((f) => path.join(tarballs, f))], { cwd: app, stdio: 'pipe' });
  return { tarballs, files, app };
}
