/**
 * Test-side loader of the OCSF schema in its source form (the ocsf-schema repository layout):
 * dictionary.json, categories.json, objects/, events/, profiles/ and extensions/<name>/.
 * It resolves what the OCSF server would: `extends` chains of classes and objects,
 * `$include` of profiles, extension patches of core objects, and attribute definitions that
 * combine the dictionary entry with the class/object override. Nothing here is shipped.
 */
import { readFileSync, statSync } from 'node:fs';
import { filesUnder } from './corpus.js';
import path from 'node:path';

/** An enum value of an attribute. */
export interface EnumValue {
  caption: string;
  deprecated: boolean;
}

/** An attribute as seen in one class or object, after merging dictionary + overrides. */
export interface ResolvedAttribute {
  name: string;
  /** Data type (`string_t`, `integer_t`, …) or object name (`process`, `file`, …). */
  type: string;
  isArray: boolean;
  requirement: 'required' | 'recommended' | 'optional';
  enum: Map<string, EnumValue> | undefined;
  /** Attribute that holds this one's caption (e.g. `activity_name` for `activity_id`). */
  sibling: string | undefined;
  deprecated: boolean;
  /** The profile that adds this attribute (its requirement applies only when the profile is applied). */
  profile: string | undefined;
}

/** Constraints of a class or object. */
export interface Constraints {
  atLeastOne?: string[];
  justOne?: string[];
}

/** A resolved object type. */
export interface ResolvedObject {
  name: string;
  attributes: Map<string, ResolvedAttribute>;
  constraints: Constraints;
}

/** A resolved event class. */
export interface ResolvedClass extends ResolvedObject {
  uid: number;
  caption: string;
  categoryUid: number;
  categoryCaption: string;
}

/** A data type with its constraints, resolved down to its base type. */
export interface ResolvedType {
  name: string;
  base: 'string_t' | 'integer_t' | 'long_t' | 'float_t' | 'boolean_t' | 'json_t';
  regex: RegExp[];
  maxLen: number | undefined;
  range: [number, number] | undefined;
  values: unknown[] | undefined;
}

/** The whole loaded schema. */
export interface OcsfSchema {
  version: string;
  classes: Map<number, ResolvedClass>;
  objects: Map<string, ResolvedObject>;
  types: Map<string, ResolvedType>;
  /** Object names, so an attribute type can be told apart from a data type. */
  isObjectType(type: string): boolean;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function readJson(file: string): Json {
  return JSON.parse(readFileSync(file, 'utf8')) as Json;
}

const jsonFiles = (dir: string): string[] => filesUnder(dir, '.json');

const BASE_TYPES = new Set(['string_t', 'integer_t', 'long_t', 'float_t', 'boolean_t', 'json_t']);

/** Raw attribute overrides of a class/object, with `$include`d profiles expanded. */
function ownAttributes(def: Json, roots: string[]): Record<string, Json> {
  const attrs: Record<string, Json> = {};
  const raw = (def.attributes ?? {}) as Record<string, unknown>;
  const includes = (raw.$include ?? []) as string[] | string;
  for (const inc of Array.isArray(includes) ? includes : [includes]) {
    const file = roots.map((r) => path.join(r, inc)).find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    if (!file) throw new Error(`OCSF schema: $include ${inc} not found`);
    const profile = readJson(file);
    for (const [k, v] of Object.entries((profile.attributes ?? {}) as Record<string, Json>)) attrs[k] = { ...v, profile: profile.name };
  }
  for (const [k, v] of Object.entries(raw)) if (k !== '$include') attrs[k] = { ...(attrs[k] ?? {}), ...(v as Json) };
  return attrs;
}

function mergeAttr(base: Json | undefined, over: Json): Json {
  if (!base) return { ...over };
  const merged = { ...base, ...over };
  if (base.enum || over.enum) merged.enum = { ...(base.enum ?? {}), ...(over.enum ?? {}) };
  return merged;
}

/** Load the OCSF schema from `root` with the named extensions (`windows`, …). */
const loaded = new Map<string, OcsfSchema>();

/** {@link loadOcsfSchema}, loaded once per root and extension list (it reads hundreds of files). */
export function sharedOcsfSchema(root: string, extensions: string[] = ['windows']): OcsfSchema {
  const key = `${root}\0${extensions.join(',')}`;
  let schema = loaded.get(key);
  if (!schema) loaded.set(key, (schema = loadOcsfSchema(root, extensions)));
  return schema;
}

export function loadOcsfSchema(root: string, extensions: string[] = ['windows']): OcsfSchema {
  const dictionary = readJson(path.join(root, 'dictionary.json'));
  const dictAttrs: Record<string, Json> = { ...dictionary.attributes };
  const rawTypes: Record<string, Json> = { ...dictionary.types.attributes };
  const categories = readJson(path.join(root, 'categories.json')).attributes as Record<string, Json>;

  // Raw definitions: name -> { def, roots (for $include), extUid }
  const rawObjects = new Map<string, { def: Json; roots: string[] }>();
  const patches: Array<{ def: Json; roots: string[] }> = [];
  const rawClasses = new Map<string, { def: Json; roots: string[]; extUid: number }>();

  for (const f of jsonFiles(path.join(root, 'objects'))) {
    const def = readJson(f);
    rawObjects.set(def.name, { def, roots: [root] });
  }
  for (const f of jsonFiles(path.join(root, 'events'))) {
    const def = readJson(f);
    rawClasses.set(def.name, { def, roots: [root], extUid: 0 });
  }
  for (const ext of extensions) {
    const extRoot = path.join(root, 'extensions', ext);
    const meta = readJson(path.join(extRoot, 'extension.json'));
    try {
      const d = readJson(path.join(extRoot, 'dictionary.json'));
      Object.assign(dictAttrs, d.attributes ?? {});
      Object.assign(rawTypes, d.types?.attributes ?? {});
    } catch {
      // an extension may have no dictionary of its own
    }
    const roots = [extRoot, root];
    for (const f of jsonFiles(path.join(extRoot, 'objects'))) {
      const def = readJson(f);
      // An extension object without a name of its own patches the core object it extends.
      if (!def.name || def.name === def.extends) patches.push({ def, roots });
      else rawObjects.set(def.name, { def, roots });
    }
    for (const f of jsonFiles(path.join(extRoot, 'events'))) {
      const def = readJson(f);
      rawClasses.set(`${meta.name}/${def.name}`, { def, roots, extUid: Number(meta.uid) });
    }
  }
  for (const p of patches) {
    const target = rawObjects.get(p.def.extends);
    if (!target) continue;
    const attrs = ownAttributes(p.def, p.roots);
    target.def = { ...target.def, attributes: { ...target.def.attributes, ...attrs, $include: target.def.attributes?.$include } };
  }

  const resolveChain = (
    lookup: (name: string) => { def: Json; roots: string[] } | undefined,
    name: string,
    seen: Set<string> = new Set(),
  ): { attrs: Record<string, Json>; constraints: Constraints; chain: Json[] } => {
    const entry = lookup(name);
    if (!entry) throw new Error(`OCSF schema: unknown object/class ${name}`);
    if (seen.has(name)) throw new Error(`OCSF schema: extends cycle at ${name}`);
    seen.add(name);
    const parent = entry.def.extends ? resolveChain(lookup, entry.def.extends, seen) : { attrs: {}, constraints: {}, chain: [] };
    const attrs = { ...parent.attrs };
    for (const [k, v] of Object.entries(ownAttributes(entry.def, entry.roots))) attrs[k] = mergeAttr(attrs[k], v);
    const c = entry.def.constraints as Json | undefined;
    const constraints: Constraints =
      c && Object.keys(c).length > 0 ? { atLeastOne: c.at_least_one, justOne: c.just_one } : parent.constraints;
    return { attrs, constraints, chain: [...parent.chain, entry.def] };
  };

  const toResolvedAttrs = (attrs: Record<string, Json>, owner: string): Map<string, ResolvedAttribute> => {
    const out = new Map<string, ResolvedAttribute>();
    for (const [name, over] of Object.entries(attrs)) {
      const dict = dictAttrs[name];
      if (!dict) throw new Error(`OCSF schema: attribute ${name} of ${owner} is not in the dictionary`);
      const merged = mergeAttr(dict, over);
      const enumEntries = merged.enum
        ? new Map<string, EnumValue>(
            Object.entries(merged.enum as Record<string, Json>).map(([k, v]) => [k, { caption: v.caption, deprecated: Boolean(v['@deprecated']) }]),
          )
        : undefined;
      out.set(name, {
        name,
        type: merged.type,
        isArray: Boolean(dict.is_array),
        requirement: merged.requirement ?? 'optional',
        enum: enumEntries,
        sibling: dict.sibling,
        deprecated: Boolean(over['@deprecated'] ?? dict['@deprecated']),
        profile: typeof merged.profile === 'string' ? merged.profile : undefined,
      });
    }
    return out;
  };

  const objects = new Map<string, ResolvedObject>();
  for (const name of rawObjects.keys()) {
    const r = resolveChain((n) => rawObjects.get(n), name);
    objects.set(name, { name, attributes: toResolvedAttrs(r.attrs, name), constraints: r.constraints });
  }

  const classes = new Map<number, ResolvedClass>();
  for (const [key, entry] of rawClasses) {
    const lookup = (n: string) => rawClasses.get(n) ?? rawClasses.get(n.replace(/^.*\//, ''));
    const r = resolveChain(lookup, key);
    const categoryName = [...r.chain].reverse().find((d) => d.category)?.category as string | undefined;
    const category = categoryName && categoryName !== 'other' ? categories[categoryName] : undefined;
    const categoryUid = category ? Number(category.uid) : 0;
    const own = entry.def.uid;
    if (own === undefined && entry.def.name !== 'base_event') continue; // abstract category bases
    const uid = entry.extUid * 100_000 + categoryUid * 1000 + Number(own ?? 0);
    classes.set(uid, {
      name: entry.def.name,
      uid,
      caption: entry.def.caption,
      categoryUid,
      categoryCaption: category?.caption ?? 'Uncategorized',
      attributes: toResolvedAttrs(r.attrs, key),
      constraints: r.constraints,
    });
  }

  const types = new Map<string, ResolvedType>();
  const resolveType = (name: string): ResolvedType => {
    const known = types.get(name);
    if (known) return known;
    const def = rawTypes[name];
    if (!def) throw new Error(`OCSF schema: unknown data type ${name}`);
    const parent = def.type && def.type !== name ? resolveType(def.type) : undefined;
    const resolved: ResolvedType = {
      name,
      base: parent ? parent.base : BASE_TYPES.has(name) ? (name as ResolvedType['base']) : 'json_t',
      regex: [...(parent?.regex ?? []), ...(def.regex ? [new RegExp(def.regex)] : [])],
      maxLen: def.max_len ?? parent?.maxLen,
      range: def.range ?? parent?.range,
      values: def.values ?? parent?.values,
    };
    types.set(name, resolved);
    return resolved;
  };
  for (const name of Object.keys(rawTypes)) resolveType(name);

  return {
    version: readJson(path.join(root, 'version.json')).version,
    classes,
    objects,
    types,
    isObjectType: (t) => objects.has(t),
  };
}
