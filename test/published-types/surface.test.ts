// The runtime surface of each entry point is the list in surface.json: adding or removing a
// public name is a deliberate edit there, reviewed as an API change. Internals (queue, process
// table, decoder, cache) live behind `internal` subpaths and never on the entry points.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const expected = JSON.parse(readFileSync(new URL('./surface.json', import.meta.url), 'utf8')) as Record<string, string[]>;
const INTERNAL = ['EventQueue', 'ProcessTable', 'readLines', 'decodeUtf8', 'FileHasher', 'HashingBackend', 'compileFilter', 'decodeBatch', 'decodeRecord', 'ProcessCache', 'UserNames', 'loadAddon'];

describe('published surface', () => {
  for (const [entry, names] of Object.entries(expected)) {
    it(`${entry} exports exactly the listed names`, async () => {
      expect(Object.keys(await import(entry)).sort()).toEqual(names);
    });
  }

  it('keeps internals off the entry points', async () => {
    for (const entry of ['@edrkit/core', 'edrkit', '@edrkit/linux']) {
      const names = Object.keys(await import(entry));
      expect(names.filter((n) => INTERNAL.includes(n))).toEqual([]);
    }
  });
});
