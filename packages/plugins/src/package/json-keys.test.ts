import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { findDuplicateKey } from './json-keys.js';
import { parseJsonDocument, parsePluginManifest } from './manifest.js';

/** A JSON value written as text with object members as given, duplicates included. */
type Doc = { obj: [string, Doc][] } | { arr: Doc[] } | { leaf: string | number | boolean | null };

const escapeKey = (key: string, escapeAll: boolean): string =>
  escapeAll ? `"${[...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(key);

function render(doc: Doc, escapeAll: boolean): string {
  if ('leaf' in doc) return JSON.stringify(doc.leaf);
  if ('arr' in doc) return `[${doc.arr.map((d) => render(d, escapeAll)).join(', ')}]`;
  return `{${doc.obj.map(([k, v]) => `${escapeKey(k, escapeAll)}: ${render(v, escapeAll)}`).join(',')}}`;
}

/** Reference answer: does any object in `doc` repeat a key? */
function hasDuplicate(doc: Doc): boolean {
  if ('leaf' in doc) return false;
  if ('arr' in doc) return doc.arr.some(hasDuplicate);
  const keys = doc.obj.map(([k]) => k);
  return new Set(keys).size !== keys.length || doc.obj.some(([, v]) => hasDuplicate(v));
}

// Small key alphabet (with quotes, backslashes and non-ASCII) so duplicates are frequent.
const keyArb = fc.constantFrom('a', 'b', 'name', '__proto__', 'constructor', 'a"b', 'c\\d', 'é', '', ' ');
const docArb = fc.letrec<{ doc: Doc }>((tie) => ({
  doc: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ leaf: fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null)) }),
    fc.record({ arr: fc.array(tie('doc'), { maxLength: 4 }) }),
    fc.record({ obj: fc.array(fc.tuple(keyArb, tie('doc')), { maxLength: 4 }) }),
  ),
})).doc;

describe('duplicate JSON keys', () => {
  it('names the key and its JSON path', () => {
    expect(findDuplicateKey('{"name":"a","version":"1.0.0","name":"b"}')).toEqual({ key: 'name', path: '$.name' });
    expect(findDuplicateKey('{"files":{"index.js":"x","index.js":"y"}}')).toEqual({ key: 'index.js', path: '$.files["index.js"]' });
    expect(findDuplicateKey('{"a":[{"k":1},{"k":1,"k":2}]}')).toEqual({ key: 'k', path: '$.a[1].k' });
    // Equal after unescaping is equal.
    expect(findDuplicateKey('{"capabilities":[],"\\u0063apabilities":["alert"]}')).toEqual({ key: 'capabilities', path: '$.capabilities' });
    // The same key in different objects, and keys that only look alike inside strings, are fine.
    expect(findDuplicateKey('{"a":{"a":1},"b":{"a":2},"s":"\\"a\\": \\"a\\""}')).toBeUndefined();
  });

  it('parseJsonDocument and the manifest parser refuse duplicates with ERR_PLUGIN_DUPLICATE_KEY', () => {
    const error = (() => {
      try {
        parsePluginManifest('{"name":"good","name":"evil"}', 'x/edrkit-plugin.json');
      } catch (e) {
        return e as PluginError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PluginError);
    expect(error?.code).toBe('ERR_PLUGIN_DUPLICATE_KEY');
    expect(error?.message).toBe("x/edrkit-plugin.json: key 'name' appears twice at $.name (readers would disagree on its value)");
    expect(parseJsonDocument('{"a":1,"b":[1,2,{"c":null}]}', 'doc')).toEqual({ a: 1, b: [1, 2, { c: null }] });
  });

  it('agrees with a reference on generated documents, with and without escaped keys (fuzz)', () => {
    fc.assert(
      fc.property(docArb, fc.boolean(), (doc, escapeAll) => {
        const text = render(doc, escapeAll);
        JSON.parse(text); // the generator only writes valid JSON
        const found = findDuplicateKey(text);
        expect(found !== undefined).toBe(hasDuplicate(doc));
      }),
      { numRuns: 500 },
    );
  });

  it('never reports a duplicate for JSON.stringify output, and never throws on arbitrary text (fuzz)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(findDuplicateKey(JSON.stringify(value))).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        findDuplicateKey(text);
      }),
      { numRuns: 300 },
    );
  });

  it('handles deep nesting without recursion', () => {
    const depth = 10_000;
    expect(findDuplicateKey(`${'['.repeat(depth)}${']'.repeat(depth)}`)).toBeUndefined();
    expect(findDuplicateKey(`${'{"a":'.repeat(depth)}{"b":1,"b":2}${'}'.repeat(depth)}`)?.key).toBe('b');
  });
});
