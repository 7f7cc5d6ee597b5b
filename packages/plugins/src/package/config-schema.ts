/**
 * Checking a plugin's `configSchema` without risk to the host. The schema comes from an
 * untrusted package and is evaluated in the host process (`plugin verify`,
 * `PluginHost.add`), so before anything compiles it:
 *
 * - its size and nesting are bounded ({@link MAX_SCHEMA_NODES}, {@link MAX_SCHEMA_DEPTH});
 * - every `$ref` must be a local JSON pointer that resolves, and no `$ref` may lead back to
 *   itself (a cycle such as `{"$ref": "#"}` recurses without end, and even a recursion that
 *   consumes data is as deep as the config is nested);
 * - every `pattern` and `patternProperties` key is compiled with RE2 (re2js, pure
 *   JavaScript), which matches in time linear in the input: `^(a+)+$` cannot backtrack.
 *   Patterns RE2 cannot express (backreferences, lookaround) are refused;
 * - `uniqueItems` needs a `maxItems` bound (its check is quadratic in the array length).
 *
 * Validation itself uses Ajv (JSON Schema draft 2020-12) with RE2 as its regular-expression
 * engine, so the same linear-time matcher runs on the config. `format` is an annotation only,
 * as the 2020-12 specification makes it by default.
 *
 * @module
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { RE2JS } from 're2js';
import { PluginError, type PluginErrorCode } from '../errors.js';
import { isJsonObject } from './manifest.js';

/** Most JSON values (objects, arrays, strings, numbers, …) in one config schema. */
export const MAX_SCHEMA_NODES = 2000;
/** Deepest nesting of objects and arrays in one config schema. */
export const MAX_SCHEMA_DEPTH = 32;
/** Longest `pattern` (or `patternProperties` key), in characters. */
export const MAX_PATTERN_LENGTH = 1000;
/** Largest `maxItems` allowed together with `uniqueItems: true`. */
export const MAX_UNIQUE_ITEMS = 1000;

// Keywords whose value is one schema, an object of schemas, or an array of schemas: the
// only places where a `$ref` or `pattern` is a keyword rather than data (as in `const`).
const SCHEMA_KEYWORDS = new Set(['additionalProperties', 'additionalItems', 'unevaluatedItems', 'unevaluatedProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'not', 'items']);
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_ARRAY_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
// Identifiers that change how `$ref` resolves; edrkit resolves only local JSON pointers.
const REF_KEYWORDS = ['$id', '$anchor', '$dynamicRef', '$dynamicAnchor', '$recursiveRef', '$recursiveAnchor'];

function refusal(code: PluginErrorCode, plugin: string, message: string, cause?: unknown): PluginError {
  return new PluginError(code, `${plugin}: configSchema: ${message}`, { plugin, ...(cause === undefined ? {} : { cause }) });
}

function pointerSegment(key: string | number): string {
  return `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

/** Count values and measure depth without recursion (a deep schema must not overflow the stack). */
function checkSize(schema: unknown, plugin: string): void {
  const stack: [unknown, number, string][] = [[schema, 0, '#']];
  let nodes = 0;
  while (stack.length > 0) {
    const [value, depth, at] = stack.pop() as [unknown, number, string];
    nodes += 1;
    if (nodes > MAX_SCHEMA_NODES) throw refusal('ERR_PLUGIN_SCHEMA_TOO_LARGE', plugin, `more than ${MAX_SCHEMA_NODES} values`);
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_SCHEMA_DEPTH) throw refusal('ERR_PLUGIN_SCHEMA_TOO_LARGE', plugin, `nested deeper than ${MAX_SCHEMA_DEPTH} levels at ${at}`);
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) stack.push([v, depth + 1, at + pointerSegment(k)]);
  }
}

/**
 * Each sub-schema of `node` with its JSON pointer. With `appliedOnly`, definitions are left
 * out: they apply only where a `$ref` points to them.
 */
function subSchemas(node: Record<string, unknown>, at: string, appliedOnly: boolean): [unknown, string][] {
  const out: [unknown, string][] = [];
  for (const [keyword, value] of Object.entries(node)) {
    const here = at + pointerSegment(keyword);
    if (Array.isArray(value) && SCHEMA_ARRAY_KEYWORDS.has(keyword)) value.forEach((v, i) => out.push([v, here + pointerSegment(i)]));
    else if (isJsonObject(value) && SCHEMA_MAP_KEYWORDS.has(keyword)) {
      if (appliedOnly && (keyword === '$defs' || keyword === 'definitions')) continue;
      for (const [k, v] of Object.entries(value)) out.push([v, here + pointerSegment(k)]);
    } else if (SCHEMA_KEYWORDS.has(keyword)) out.push([value, here]);
  }
  return out;
}

/** Resolve a local `$ref` (`#` or `#/json/pointer`) against the root schema. */
function resolveRef(root: unknown, ref: string, plugin: string, at: string): [unknown, string] {
  if (ref !== '#' && !ref.startsWith('#/')) throw refusal('ERR_PLUGIN_SCHEMA_REF', plugin, `$ref '${ref}' at ${at}: only local JSON-pointer references ('#/$defs/…') are supported`);
  let target: unknown = root;
  let pointer = '#';
  for (const raw of ref === '#' ? [] : ref.slice(2).split('/')) {
    let key: string;
    try {
      key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      throw refusal('ERR_PLUGIN_SCHEMA_REF', plugin, `$ref '${ref}' at ${at} is not a valid JSON pointer`);
    }
    const next = Array.isArray(target) ? target[Number(key)] : isJsonObject(target) && Object.hasOwn(target, key) ? target[key] : undefined;
    if (next === undefined) throw refusal('ERR_PLUGIN_SCHEMA_REF', plugin, `$ref '${ref}' at ${at} does not resolve inside the schema`);
    target = next;
    pointer += pointerSegment(key);
  }
  return [target, pointer];
}

function compilePattern(pattern: unknown, plugin: string, at: string): void {
  if (typeof pattern !== 'string') return; // Ajv's meta-schema check names the wrong type.
  if (pattern.length > MAX_PATTERN_LENGTH) throw refusal('ERR_PLUGIN_SCHEMA_PATTERN', plugin, `pattern at ${at} is longer than ${MAX_PATTERN_LENGTH} characters`);
  try {
    RE2JS.compile(pattern);
  } catch (cause) {
    throw refusal('ERR_PLUGIN_SCHEMA_PATTERN', plugin, `pattern ${JSON.stringify(pattern)} at ${at} is not a linear-time (RE2) regular expression: ${(cause as Error).message}`, cause);
  }
}

/** Every schema position: refuse unsupported identifiers, bad patterns, unbounded uniqueItems and dangling refs. */
function checkKeywords(root: unknown, plugin: string): void {
  const stack: [unknown, string][] = [[root, '#']];
  while (stack.length > 0) {
    const [node, at] = stack.pop() as [unknown, string];
    if (!isJsonObject(node)) continue;
    for (const keyword of REF_KEYWORDS) {
      if (Object.hasOwn(node, keyword)) throw refusal('ERR_PLUGIN_SCHEMA_REF', plugin, `${keyword} at ${at} is not supported (use local '#/$defs/…' references)`);
    }
    if (Object.hasOwn(node, 'pattern')) compilePattern(node['pattern'], plugin, `${at}/pattern`);
    if (isJsonObject(node['patternProperties'])) for (const key of Object.keys(node['patternProperties'])) compilePattern(key, plugin, `${at}/patternProperties`);
    if (node['uniqueItems'] === true && !(typeof node['maxItems'] === 'number' && node['maxItems'] <= MAX_UNIQUE_ITEMS)) {
      throw refusal('ERR_PLUGIN_SCHEMA_TOO_LARGE', plugin, `uniqueItems at ${at} needs "maxItems" of at most ${MAX_UNIQUE_ITEMS}`);
    }
    if (Object.hasOwn(node, '$ref')) {
      if (typeof node['$ref'] !== 'string') throw refusal('ERR_PLUGIN_SCHEMA_REF', plugin, `$ref at ${at} must be a string`);
      resolveRef(root, node['$ref'], plugin, at);
    }
    stack.push(...subSchemas(node, at, false));
  }
}

/**
 * Walk what validation would apply (sub-schemas plus `$ref` edges) with three colours:
 * meeting a node that is still on the path is a cycle. Each node is finished once, so this
 * is linear in the schema size.
 */
function checkRefCycles(root: unknown, plugin: string): void {
  const state = new Map<object, 'open' | 'done'>();
  const visit = (node: unknown, at: string): void => {
    if (!isJsonObject(node)) return;
    const seen = state.get(node);
    if (seen === 'done') return;
    if (seen === 'open') throw refusal('ERR_PLUGIN_SCHEMA_REF', plugin, `$ref cycle through ${at} (a schema that refers back to itself never finishes)`);
    state.set(node, 'open');
    if (typeof node['$ref'] === 'string') {
      const [target, pointer] = resolveRef(root, node['$ref'], plugin, at);
      visit(target, pointer);
    }
    // Nesting is bounded by checkSize and every node is finished once, so this recursion is bounded too.
    for (const [sub, subAt] of subSchemas(node, at, true)) visit(sub, subAt);
    state.set(node, 'done');
  };
  visit(root, '#');
}

// Ajv's strict-mode findings during one compile. Unknown keywords (typos such as
// "propertys") refuse the schema; notes such as "default is ignored in the schema root" or
// "required property is not defined" describe valid schemas and do not.
let strictFindings: string[] = [];
const collect = (...args: unknown[]): void => void strictFindings.push(args.map(String).join(' '));

// One Ajv instance: compiled validators are cached by schema object below.
const ajv = new Ajv2020({
  strict: 'log',
  allErrors: true,
  useDefaults: true,
  validateFormats: false,
  logger: { log: () => {}, warn: collect, error: collect },
  code: {
    // JSON Schema patterns are searches (unanchored), as RE2JS.test is.
    regExp: Object.assign((pattern: string) => RE2JS.compile(pattern), { code: 'RE2JS.compile' }) as never,
  },
});
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Check `schema` against edrkit's limits and compile it.
 * @param plugin names the plugin in errors.
 * @throws {@link PluginError} `ERR_PLUGIN_SCHEMA_TOO_LARGE`, `ERR_PLUGIN_SCHEMA_REF`,
 *   `ERR_PLUGIN_SCHEMA_PATTERN` or `ERR_PLUGIN_SCHEMA_INVALID`.
 */
export function compileConfigSchema(schema: Record<string, unknown>, plugin: string): ValidateFunction {
  const cached = compiled.get(schema);
  if (cached) return cached;
  checkSize(schema, plugin);
  checkKeywords(schema, plugin);
  checkRefCycles(schema, plugin);
  let validate: ValidateFunction;
  strictFindings = [];
  try {
    validate = ajv.compile(schema);
    const unknown = strictFindings.find((f) => f.includes('unknown keyword') || f.includes('unknown format'));
    if (unknown !== undefined) throw new Error(unknown);
  } catch (cause) {
    throw refusal('ERR_PLUGIN_SCHEMA_INVALID', plugin, `not a JSON Schema (draft 2020-12) edrkit can check: ${(cause as Error).message.slice(0, 500)}`, cause);
  } finally {
    // Ajv keeps every compiled schema; the WeakMap is the cache that may be collected.
    ajv.removeSchema(schema);
  }
  compiled.set(schema, validate);
  return validate;
}

function describeAjvErrors(errors: readonly ErrorObject[]): string {
  return errors
    .slice(0, 20)
    .map((e) => {
      const where = e.instancePath === '' ? 'config' : `config${e.instancePath.replaceAll('/', '.')}`;
      const extra = e.keyword === 'additionalProperties' ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'` : '';
      return `${where}: ${e.message ?? e.keyword}${extra}`;
    })
    .join('; ');
}

/**
 * Validate `config` against a plugin's config schema; returns a copy with schema defaults filled in.
 * @throws {@link PluginError} every code of {@link compileConfigSchema}, or `ERR_PLUGIN_CONFIG` naming each bad field.
 */
export function validateConfig(schema: Record<string, unknown>, config: unknown, plugin: string): unknown {
  const validate = compileConfigSchema(schema, plugin);
  const copy = config === undefined ? undefined : (structuredClone(config) as unknown);
  if (!validate(copy)) throw new PluginError('ERR_PLUGIN_CONFIG', `${plugin}: ${describeAjvErrors(validate.errors ?? [])}`, { plugin });
  return copy;
}
