/**
 * Test-side OCSF validator: checks a record against the schema loaded by ocsf-schema.ts.
 *
 * It checks, recursively: the class exists and category_uid matches it; type_uid =
 * class_uid * 100 + activity_id; every attribute is defined for the class/object (unknown
 * names are errors); required attributes are present; `at_least_one`/`just_one` constraints;
 * data types (string/integer/long/float/boolean, regex, max length, range, values, arrays);
 * integer enums (activity_id, severity_id, every *_id) with their caption siblings
 * (activity_name, severity, …) and class_name/category_name/type_name; no deprecated
 * attributes or enum values; no `null`/`undefined` values.
 */
import type { OcsfSchema, ResolvedAttribute, ResolvedObject } from './ocsf-schema.js';

/** One problem found, with its path in the record. */
export interface OcsfIssue {
  path: string;
  message: string;
}

const LONG_MIN = -(2 ** 63);
const LONG_MAX = 2 ** 63 - 1;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Validate `record` against `schema`; an empty list means it is valid. */
export function validateOcsf(schema: OcsfSchema, record: unknown): OcsfIssue[] {
  const issues: OcsfIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  if (!isPlainObject(record)) return [{ path: '', message: 'not an object' }];

  const classUid = record.class_uid;
  const cls = typeof classUid === 'number' ? schema.classes.get(classUid) : undefined;
  if (!cls) return [{ path: 'class_uid', message: `unknown class_uid ${String(classUid)}` }];

  if (record.category_uid !== cls.categoryUid) add('category_uid', `expected ${cls.categoryUid} for class ${cls.uid}, got ${String(record.category_uid)}`);
  if (typeof record.activity_id === 'number' && record.type_uid !== cls.uid * 100 + record.activity_id) {
    add('type_uid', `expected class_uid*100+activity_id = ${cls.uid * 100 + record.activity_id}, got ${String(record.type_uid)}`);
  }
  if (record.class_name !== undefined && record.class_name !== cls.caption) add('class_name', `expected '${cls.caption}', got '${String(record.class_name)}'`);
  if (record.category_name !== undefined && record.category_name !== cls.categoryCaption) {
    add('category_name', `expected '${cls.categoryCaption}', got '${String(record.category_name)}'`);
  }
  if (record.type_name !== undefined && typeof record.activity_id === 'number') {
    const caption = cls.attributes.get('activity_id')?.enum?.get(String(record.activity_id))?.caption;
    if (caption && record.type_name !== `${cls.caption}: ${caption}`) add('type_name', `expected '${cls.caption}: ${caption}', got '${String(record.type_name)}'`);
  }
  const meta = record.metadata;
  const profiles = isPlainObject(meta) && Array.isArray(meta.profiles) ? meta.profiles.map(String) : [];
  validateObject(schema, cls, record, '', add, 0, new Set(profiles));
  return issues;
}

function validateObject(
  schema: OcsfSchema,
  def: ResolvedObject,
  value: Record<string, unknown>,
  at: string,
  add: (path: string, message: string) => void,
  depth: number,
  profiles: ReadonlySet<string>,
): void {
  const here = (k: string) => (at ? `${at}.${k}` : k);
  if (depth > 32) return add(at, 'nesting too deep');
  for (const [key, v] of Object.entries(value)) {
    const attr = def.attributes.get(key);
    if (!attr) {
      add(here(key), `'${key}' is not an attribute of ${def.name}`);
      continue;
    }
    if (attr.deprecated) add(here(key), `'${key}' is deprecated in ${def.name}`);
    validateAttribute(schema, attr, v, here(key), add, depth, profiles);
  }
  for (const attr of def.attributes.values()) {
    const applies = attr.profile === undefined || profiles.has(attr.profile);
    if (applies && attr.requirement === 'required' && value[attr.name] === undefined) add(here(attr.name), `required attribute of ${def.name} is missing`);
  }
  const present = (names: string[]) => names.filter((n) => value[n] !== undefined);
  if (def.constraints.atLeastOne && present(def.constraints.atLeastOne).length === 0) {
    add(at, `${def.name} needs at least one of ${def.constraints.atLeastOne.join(', ')}`);
  }
  if (def.constraints.justOne && present(def.constraints.justOne).length !== 1) {
    add(at, `${def.name} needs exactly one of ${def.constraints.justOne.join(', ')}`);
  }
  // Caption siblings: activity_name, severity, type, … must name the enum value (except Other, 99).
  for (const [key, v] of Object.entries(value)) {
    const attr = def.attributes.get(key);
    if (!attr?.enum || !attr.sibling || typeof v !== 'number' || v === 99) continue;
    const sib = value[attr.sibling];
    const caption = attr.enum.get(String(v))?.caption;
    if (sib !== undefined && caption !== undefined && sib !== caption) add(here(attr.sibling), `expected '${caption}' for ${key} ${v}, got '${String(sib)}'`);
  }
  if (value.activity_id === 99 && def.attributes.has('activity_name') && value.activity_name === undefined) {
    add(here('activity_name'), 'activity_id 99 (Other) needs activity_name');
  }
}

function validateAttribute(
  schema: OcsfSchema,
  attr: ResolvedAttribute,
  v: unknown,
  at: string,
  add: (path: string, message: string) => void,
  depth: number,
  profiles: ReadonlySet<string>,
): void {
  if (v === null || v === undefined) return add(at, `${String(v)} value (omit the attribute instead)`);
  if (attr.isArray) {
    if (!Array.isArray(v)) return add(at, `expected an array of ${attr.type}`);
    v.forEach((item, i) => validateSingle(schema, attr, item, `${at}[${i}]`, add, depth, profiles));
    return;
  }
  if (Array.isArray(v)) return add(at, `expected a single ${attr.type}, got an array`);
  validateSingle(schema, attr, v, at, add, depth, profiles);
}

function validateSingle(
  schema: OcsfSchema,
  attr: ResolvedAttribute,
  v: unknown,
  at: string,
  add: (path: string, message: string) => void,
  depth: number,
  profiles: ReadonlySet<string>,
): void {
  if (v === null || v === undefined) return add(at, `${String(v)} value`);
  // `object` (unmapped, xattributes) is an open bag of anything JSON.
  if (attr.type === 'object') {
    if (!isPlainObject(v)) add(at, 'expected an object');
    return;
  }
  const obj = schema.objects.get(attr.type);
  if (obj) {
    if (!isPlainObject(v)) return add(at, `expected a ${attr.type} object`);
    return validateObject(schema, obj, v, at, add, depth + 1, profiles);
  }
  const type = schema.types.get(attr.type);
  if (!type) return add(at, `unknown type ${attr.type}`);
  switch (type.base) {
    case 'string_t':
      if (typeof v !== 'string') return add(at, `expected a string (${type.name}), got ${typeof v}`);
      if (type.maxLen !== undefined && v.length > type.maxLen) add(at, `longer than ${type.maxLen} (${type.name})`);
      for (const re of type.regex) if (!re.test(v)) add(at, `'${v}' does not match ${type.name}`);
      break;
    case 'integer_t':
    case 'long_t': {
      if (typeof v !== 'number' || !Number.isInteger(v)) return add(at, `expected an integer (${type.name}), got ${JSON.stringify(v)}`);
      // OCSF gives integer_t no width; JSON consumers need a safe integer. long_t is 8 bytes.
      const ok = type.base === 'long_t' ? v >= LONG_MIN && v <= LONG_MAX : Number.isSafeInteger(v);
      if (!ok) add(at, `${v} out of ${type.name} range`);
      if (type.range && (v < type.range[0] || v > type.range[1])) add(at, `${v} outside ${type.range.join('..')} (${type.name})`);
      break;
    }
    case 'float_t':
      if (typeof v !== 'number' || !Number.isFinite(v)) add(at, `expected a number (${type.name})`);
      break;
    case 'boolean_t':
      if (typeof v !== 'boolean') add(at, `expected a boolean, got ${typeof v}`);
      break;
    case 'json_t':
      break;
  }
  if (type.values && !type.values.includes(v)) add(at, `${JSON.stringify(v)} is not one of ${JSON.stringify(type.values)}`);
  // The schema lists only 0 for class_uid/category_uid; real values are computed and checked above.
  const computed = attr.name === 'class_uid' || attr.name === 'category_uid';
  if (attr.enum && typeof v === 'number' && !computed) {
    const e = attr.enum.get(String(v));
    if (!e) add(at, `${v} is not an enum value of ${attr.name} (${[...attr.enum.keys()].join(', ')})`);
    else if (e.deprecated) add(at, `${v} (${e.caption}) is a deprecated value of ${attr.name}`);
  }
}
