import fc from 'fast-check';
import { pluginRefusal } from '../testing/fixtures.js';
import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { compileConfigSchema, MAX_SCHEMA_DEPTH, MAX_SCHEMA_NODES, validateConfig } from './config-schema.js';

const check = (schema: Record<string, unknown>, config: unknown = {}) => pluginRefusal(() => validateConfig(schema, config, 'p'));

describe('config schemas cannot hurt the host', () => {
  it('a catastrophic-backtracking pattern is matched in linear time by RE2', () => {
    // With a backtracking engine this takes 2^40 steps; RE2 answers at once.
    const schema = { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } };
    expect(check(schema, { s: `${'a'.repeat(40)}!` })).toBe("ERR_PLUGIN_CONFIG: p: config.s: must match pattern \"^(a+)+$\"");
    expect(check(schema, { s: 'aaaa' })).toBe('accepted');
    const props = { type: 'object', patternProperties: { '^(x+x+)+y$': { type: 'number' } } };
    expect(check(props, { [`${'x'.repeat(40)}`]: 'not checked' })).toBe('accepted');
    expect(check(props, { xxy: 'bad' })).toMatch(/^ERR_PLUGIN_CONFIG: p: config.xxy: must be number/);
  });

  it('patterns RE2 cannot run in linear time are refused with ERR_PLUGIN_SCHEMA_PATTERN', () => {
    expect(check({ type: 'string', pattern: '^(a)\\1$' })).toMatch(/^ERR_PLUGIN_SCHEMA_PATTERN: p: configSchema: pattern "\^\(a\)\\\\1\$" at #\/pattern is not a linear-time \(RE2\)/);
    expect(check({ type: 'object', patternProperties: { '(?=a)': {} } })).toMatch(/^ERR_PLUGIN_SCHEMA_PATTERN: .* at #\/patternProperties/);
    expect(check({ type: 'string', pattern: 'a'.repeat(1001) })).toMatch(/^ERR_PLUGIN_SCHEMA_PATTERN: .*longer than 1000/);
  });

  it('$ref cycles, remote and dangling refs are refused with ERR_PLUGIN_SCHEMA_REF', () => {
    expect(check({ $ref: '#' })).toBe('ERR_PLUGIN_SCHEMA_REF: p: configSchema: $ref cycle through # (a schema that refers back to itself never finishes)');
    expect(check({ $defs: { a: { $ref: '#/$defs/b' }, b: { allOf: [{ $ref: '#/$defs/a' }] } }, $ref: '#/$defs/a' })).toMatch(/^ERR_PLUGIN_SCHEMA_REF: .*\$ref cycle/);
    // Recursion through data is refused too: its depth is the config's nesting depth.
    expect(check({ type: 'object', properties: { child: { $ref: '#' } } })).toMatch(/^ERR_PLUGIN_SCHEMA_REF: .*\$ref cycle/);
    expect(check({ $ref: 'https://example.com/s.json' })).toMatch(/^ERR_PLUGIN_SCHEMA_REF: .*only local JSON-pointer/);
    expect(check({ $ref: '#/$defs/missing' })).toMatch(/^ERR_PLUGIN_SCHEMA_REF: .*does not resolve/);
    expect(check({ $id: 'urn:x', type: 'object' })).toMatch(/^ERR_PLUGIN_SCHEMA_REF: .*\$id at # is not supported/);
    // An acyclic shared definition is fine, and a cycle among unused definitions is never applied.
    const shared = { $defs: { name: { type: 'string', maxLength: 8 } }, type: 'object', properties: { a: { $ref: '#/$defs/name' }, b: { $ref: '#/$defs/name' } } };
    expect(check(shared, { a: 'x', b: 'y' })).toBe('accepted');
    expect(check(shared, { a: 'x', b: 'much too long' })).toMatch(/^ERR_PLUGIN_CONFIG: p: config.b: must NOT have more than 8 characters/);
  });

  it('oversized, deep and quadratic schemas are refused with ERR_PLUGIN_SCHEMA_TOO_LARGE', () => {
    const wide = { type: 'object', properties: Object.fromEntries(Array.from({ length: MAX_SCHEMA_NODES }, (_, i) => [`p${i}`, { type: 'string' }])) };
    expect(check(wide)).toMatch(/^ERR_PLUGIN_SCHEMA_TOO_LARGE: .*more than 2000 values/);
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < MAX_SCHEMA_DEPTH; i++) deep = { not: deep };
    expect(check(deep)).toMatch(/^ERR_PLUGIN_SCHEMA_TOO_LARGE: .*nested deeper than 32/);
    expect(check({ type: 'array', uniqueItems: true })).toMatch(/^ERR_PLUGIN_SCHEMA_TOO_LARGE: .*uniqueItems at # needs "maxItems"/);
    expect(check({ type: 'array', uniqueItems: true, maxItems: 10 }, [])).toBe('accepted');
  });

  it('what Ajv cannot compile is ERR_PLUGIN_SCHEMA_INVALID; bad config is ERR_PLUGIN_CONFIG', () => {
    expect(check({ type: 'strnig' })).toMatch(/^ERR_PLUGIN_SCHEMA_INVALID: p: configSchema: not a JSON Schema/);
    expect(check({ type: 'object', frobnicate: true })).toMatch(/^ERR_PLUGIN_SCHEMA_INVALID: .*frobnicate/);
    // Strict-mode notes about valid schemas do not refuse them.
    expect(check({ type: 'object', required: ['x'] }, { x: 1 })).toBe('accepted');
    expect(check({ type: ['object', 'null'], default: {}, title: 'T', examples: [{}] }, null)).toBe('accepted');
    expect(check({ type: 'string', format: 'email' }, 'not an email')).toBe('accepted'); // format is an annotation
    const schema = { type: 'object', properties: { shells: { type: 'array', items: { type: 'string' } }, level: { type: 'string', default: 'info' } }, required: ['shells'], additionalProperties: false };
    expect(check(schema, { shells: 'sh' })).toBe('ERR_PLUGIN_CONFIG: p: config.shells: must be array');
    expect(check(schema, { shells: [], extra: 1 })).toBe("ERR_PLUGIN_CONFIG: p: config: must NOT have additional properties 'extra'");
    // Defaults are filled into a copy; the caller's object is not changed.
    const config = { shells: ['sh'] };
    expect(validateConfig(schema, config, 'p')).toEqual({ shells: ['sh'], level: 'info' });
    expect(config).toEqual({ shells: ['sh'] });
    expect(compileConfigSchema(schema, 'p')).toBe(compileConfigSchema(schema, 'p'));
  });

  it('arbitrary schemas built from JSON Schema keywords give a result or a PluginError, never anything else (fuzz)', () => {
    const keyword = fc.constantFrom('type', 'properties', 'items', 'prefixItems', 'allOf', 'anyOf', 'not', 'pattern', 'patternProperties', '$ref', '$defs', 'required', 'enum', 'const', 'uniqueItems', 'maxItems', 'minLength', 'additionalProperties', 'if', 'then');
    const leaf = fc.oneof(fc.constantFrom('string', 'object', 'array', '#', '#/$defs/a', '^(a+)+$', '(a)\\1', '[', 'a|b'), fc.integer({ min: -2, max: 5 }), fc.boolean(), fc.constant(null));
    const schema = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.oneof(keyword, fc.constantFrom('a', 'b')), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(keyword, schema, { maxKeys: 4 }), fc.jsonValue({ maxDepth: 3 }), (s, config) => {
        try {
          validateConfig(s, config, 'fuzz');
        } catch (error) {
          if (!(error instanceof PluginError)) throw error;
          expect(error.code).toMatch(/^ERR_PLUGIN_(CONFIG|SCHEMA_(TOO_LARGE|REF|PATTERN|INVALID))$/);
        }
      }),
      { numRuns: 400 },
    );
  });
});
