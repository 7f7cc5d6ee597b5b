// Packaging that installs only what a platform needs: no dependency cycle between the
// workspace packages, and platform backends as `os`-restricted optional dependencies of the
// meta package (the way esbuild and @parcel/watcher ship per-platform packages).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

type Manifest = { name: string; os?: string[]; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string> };
const root = resolve(import.meta.dirname, '../..');
const manifests = new Map<string, Manifest>(
  readdirSync(join(root, 'packages')).map((d) => {
    const m = JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')) as Manifest;
    return [m.name, m];
  }),
);
const deps = (m: Manifest) => Object.keys({ ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies }).filter((n) => manifests.has(n));

describe('packaging', () => {
  it('has no dependency cycle between workspace packages', () => {
    const cycles: string[] = [];
    const visit = (name: string, path: string[]) => {
      if (path.includes(name)) return void cycles.push([...path.slice(path.indexOf(name)), name].join(' -> '));
      for (const d of deps(manifests.get(name)!)) visit(d, [...path, name]);
    };
    for (const name of manifests.keys()) visit(name, []);
    expect(cycles).toEqual([]);
  });

  it('the meta package depends on the CLI, and on @edrkit/linux only optionally', () => {
    const meta = manifests.get('edrkit')!;
    expect(meta.dependencies).toHaveProperty('@edrkit/cli');
    expect(meta.dependencies).not.toHaveProperty('@edrkit/linux');
    expect(meta.optionalDependencies).toHaveProperty('@edrkit/linux');
    expect(manifests.get('@edrkit/linux')!.os).toEqual(['linux']);
  });
});
