/**
 * One detection item, `Field|mod1|mod2: value(s)`, compiled to a {@link Node}: the
 * modifiers of the Sigma modifiers appendix applied in order to the value list, then
 * the values linked with OR (or AND with `all`), negated with `neq`.
 *
 * @module
 */
import { invalid, unsupported } from './errors.js';
import { base64, base64Offsets, utf16be, utf16bom, utf16le, utf8, windash } from './encode.js';
import type { Node, ValueTest } from './ir.js';
import { literalPattern, parsePattern, wrapPattern, type Pattern } from './pattern.js';
import { compileRegex } from './regex.js';
import { foldedLiterals, mergeTextParts } from './textmatch.js';
import { cidrValue, scalarText, textParts, valueTest, type SigmaValue } from './values.js';

/** Options that change how values compile. */
export interface ValueOptions {
  /**
   * Values for placeholders used with the `expand` modifier (`%Servers%` → `Servers`).
   * A rule using a placeholder that is not listed here is `unsupported`.
   */
  placeholders?: Readonly<Record<string, readonly string[]>>;
}

/** Every modifier this engine knows (others make the rule invalid, as pySigma does). */
export const KNOWN_MODIFIERS = [
  'contains', 'startswith', 'endswith', 'all', 'exists', 'cased', 'neq', 'windash', 're', 'i', 'm', 's',
  'base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'lt', 'lte', 'gt', 'gte',
  'minute', 'hour', 'day', 'week', 'month', 'year', 'cidr', 'expand', 'fieldref',
] as const;

type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
type FieldrefMode = 'eq' | 'contains' | 'startswith' | 'endswith';

interface State {
  values: SigmaValue[];
  all: boolean;
  neq: boolean;
  timePart?: TimePart;
  fieldref?: { fields: string[]; mode: FieldrefMode; cased: boolean };
}

/** A YAML scalar of a detection item as a value. */
export function scalarValue(v: unknown, where: string): SigmaValue {
  if (v === null) return { type: 'null' };
  if (typeof v === 'string') return { type: 'str', raw: v };
  if (typeof v === 'number') return { type: 'number', value: v };
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  throw invalid(where, `a value must be a string, number, boolean or null, not ${Array.isArray(v) ? 'a list' : typeof v}`);
}

/** Map each value (descending into `any` expansions). */
function mapValues(values: SigmaValue[], fn: (v: SigmaValue) => SigmaValue): SigmaValue[] {
  return values.map(function each(v): SigmaValue {
    return v.type === 'any' ? { type: 'any', items: v.items.map(each) } : fn(v);
  });
}

function toPattern(v: SigmaValue, mod: string, where: string): Pattern {
  switch (v.type) {
    case 'str':
      return { tokens: parsePattern(v.raw), cased: false };
    case 'pattern':
      return v.pattern;
    case 'number':
      return { tokens: literalPattern(String(v.value)), cased: false };
    case 'bytes':
      return { tokens: literalPattern(Buffer.from(v.bytes).toString('latin1')), cased: true };
    default:
      throw invalid(where, `'${mod}' applies to strings, not to a ${v.type} value`);
  }
}

function toBytes(v: SigmaValue, mod: string, where: string): Uint8Array {
  if (v.type === 'bytes') return v.bytes;
  if (v.type === 'str' || v.type === 'number') {
    const text = v.type === 'str' ? v.raw : String(v.value);
    return utf8(text);
  }
  if (v.type === 'pattern') {
    if (v.pattern.tokens.some((t) => t.t !== 'lit')) throw unsupported(where, `'${mod}' of a value with wildcards cannot be encoded`);
    return utf8(v.pattern.tokens.map((t) => (t.t === 'lit' ? t.c : '')).join(''));
  }
  throw invalid(where, `'${mod}' applies to strings, not to a ${v.type} value`);
}

function rawString(v: SigmaValue, mod: string, where: string): string {
  if (v.type === 'str') return v.raw;
  if (v.type === 'number') return String(v.value);
  throw invalid(where, `'${mod}' needs a plain string value, not a ${v.type} value`);
}

function encodeUtf16(v: SigmaValue, mod: string, where: string, enc: (s: string) => Uint8Array): SigmaValue {
  if (v.type === 'bytes') throw invalid(where, `'${mod}' applies to text, the value is already encoded`);
  const text = v.type === 'str' ? v.raw : v.type === 'number' ? String(v.value) : undefined;
  if (text === undefined) throw invalid(where, `'${mod}' applies to strings, not to a ${v.type} value`);
  return { type: 'bytes', bytes: enc(text) };
}

function timePart(part: TimePart, v: unknown): number | undefined {
  const d = typeof v === 'number' ? new Date(v) : typeof v === 'string' ? new Date(v) : undefined;
  if (!d || Number.isNaN(d.getTime())) return undefined;
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    case 'week': {
      // ISO 8601 week number.
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
      return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
    }
  }
}

function expandPlaceholders(raw: string, options: ValueOptions, where: string): SigmaValue {
  // Split on %name%, keeping `\%` as a plain percent sign.
  const pieces: Array<string | { name: string }> = [];
  let text = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && raw[i + 1] === '%') {
      text += '%';
      i++;
    } else if (c === '%') {
      const end = raw.indexOf('%', i + 1);
      if (end < 0) {
        text += c;
        continue;
      }
      pieces.push(text);
      text = '';
      pieces.push({ name: raw.slice(i + 1, end) });
      i = end;
    } else text += c;
  }
  pieces.push(text);
  let variants = [''];
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      variants = variants.map((v) => v + piece);
      continue;
    }
    const values = options.placeholders?.[piece.name];
    if (!values || values.length === 0) {
      throw unsupported(where, `placeholder %${piece.name}% has no values; pass placeholders: { ${JSON.stringify(piece.name)}: [...] }`);
    }
    variants = variants.flatMap((v) => values.map((x) => v + x));
    if (variants.length > 10_000) throw unsupported(where, `placeholder expansion gives more than 10000 values`);
  }
  return { type: 'any', items: variants.map((raw2) => ({ type: 'str', raw: raw2 }) as SigmaValue) };
}

function applyModifier(state: State, mod: string, next: string | undefined, where: string, options: ValueOptions): void {
  switch (mod) {
    case 'contains':
    case 'startswith':
    case 'endswith': {
      if (state.fieldref) {
        state.fieldref.mode = mod;
        return;
      }
      const before = mod !== 'startswith';
      const after = mod !== 'endswith';
      state.values = mapValues(state.values, (v) => {
        const p = toPattern(v, mod, where);
        return { type: 'pattern', pattern: { tokens: wrapPattern(p.tokens, before, after), cased: p.cased } };
      });
      return;
    }
    case 'all':
      state.all = true;
      return;
    case 'neq':
      state.neq = true;
      return;
    case 'cased':
      if (state.fieldref) {
        state.fieldref.cased = true;
        return;
      }
      state.values = mapValues(state.values, (v) => {
        const p = toPattern(v, mod, where);
        return { type: 'pattern', pattern: { tokens: p.tokens, cased: true } };
      });
      return;
    case 'windash':
      state.values = mapValues(state.values, (v) => {
        const p = toPattern(v, mod, where);
        return { type: 'pattern', pattern: { tokens: windash(p.tokens), cased: p.cased } };
      });
      return;
    case 'exists':
      state.values = state.values.map((v) => {
        if (v.type !== 'bool') throw invalid(where, `'exists' takes true or false`);
        return { type: 'exists', value: v.value };
      });
      return;
    case 'base64':
      state.values = mapValues(state.values, (v) => ({
        type: 'pattern',
        pattern: { tokens: literalPattern(base64(toBytes(v, mod, where))), cased: true },
      }));
      return;
    case 'base64offset':
      state.values = mapValues(state.values, (v) => ({
        type: 'any',
        items: base64Offsets(toBytes(v, mod, where)).map(
          (s) => ({ type: 'pattern', pattern: { tokens: literalPattern(s), cased: true } }) as SigmaValue,
        ),
      }));
      return;
    case 'utf16le':
    case 'wide':
      state.values = mapValues(state.values, (v) => encodeUtf16(v, mod, where, utf16le));
      return;
    case 'utf16be':
      state.values = mapValues(state.values, (v) => encodeUtf16(v, mod, where, utf16be));
      return;
    case 'utf16':
      state.values = mapValues(state.values, (v) => encodeUtf16(v, mod, where, utf16bom));
      return;
    case 're':
      // Sub-modifiers i/m/s that follow are consumed by the caller into `flags`.
      return;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      state.values = state.values.map((v) => {
        const n = v.type === 'number' ? v.value : v.type === 'str' && v.raw.trim() !== '' ? Number(v.raw) : NaN;
        if (Number.isNaN(n)) throw invalid(where, `'${mod}' needs a number`);
        return { type: 'compare', op: mod, value: n };
      });
      return;
    case 'minute':
    case 'hour':
    case 'day':
    case 'week':
    case 'month':
    case 'year':
      state.timePart = mod;
      return;
    case 'cidr':
      state.values = mapValues(state.values, (v) => {
        const text = rawString(v, mod, where);
        const value = cidrValue(text);
        if (!value) throw invalid(where, `'${text}' is not a CIDR range (e.g. 10.0.0.0/8 or fe80::/10)`);
        return value;
      });
      return;
    case 'expand':
      state.values = mapValues(state.values, (v) => expandPlaceholders(rawString(v, mod, where), options, where));
      return;
    case 'fieldref':
      state.fieldref = { fields: state.values.map((v) => rawString(v, mod, where)), mode: 'eq', cased: false };
      return;
    default:
      void next;
      throw invalid(where, `unknown modifier '${mod}' (known: ${KNOWN_MODIFIERS.join(', ')})`);
  }
}

/** Split `Field|mod|mod` into the field name (possibly empty: keywords) and the modifiers. */
export function splitKey(key: string): { field: string; modifiers: string[] } {
  const [field = '', ...modifiers] = key.split('|');
  return { field, modifiers };
}

function fieldrefTest(mode: FieldrefMode, cased: boolean): (a: unknown, b: unknown) => boolean {
  return (a, b) => {
    let x = scalarText(a);
    let y = scalarText(b);
    if (x === undefined || y === undefined) return false;
    if (!cased) {
      x = x.toLowerCase();
      y = y.toLowerCase();
    }
    return mode === 'eq' ? x === y : mode === 'contains' ? x.includes(y) : mode === 'startswith' ? x.startsWith(y) : x.endsWith(y);
  };
}

/**
 * Compile one detection item. `field` empty means a keyword search (`'|all': [...]`).
 * `raw` is the YAML value: a scalar or a list of scalars.
 */
export function compileItem(key: string, raw: unknown, where: string, options: ValueOptions = {}): Node {
  const { field, modifiers } = splitKey(key);
  const list = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0) throw invalid(where, `empty value list`);
  const state: State = { values: list.map((v, i) => scalarValue(v, Array.isArray(raw) ? `${where}[${i}]` : where)), all: false, neq: false };
  if (list.length > 1 && state.values.some((v) => v.type === 'null')) {
    throw invalid(where, `null cannot be part of a value list (use a separate selection, as the specification says)`);
  }
  const reFlags = new Set<string>();
  let inRe = false;
  let sawRe = false;
  for (let i = 0; i < modifiers.length; i++) {
    const mod = modifiers[i]!;
    if (inRe && (mod === 'i' || mod === 'm' || mod === 's')) {
      reFlags.add(mod);
      continue;
    }
    if (mod === 'i' || mod === 'm' || mod === 's') throw invalid(where, `'${mod}' is a sub-modifier of 're' and must follow it`);
    inRe = mod === 're';
    if (mod === 're') sawRe = true;
    applyModifier(state, mod, modifiers[i + 1], where, options);
  }
  if (sawRe) {
    state.values = mapValues(state.values, (v) => ({ type: 're', regex: compileRegex(rawString(v, 're', where), new Set(reFlags), where) }));
  }
  if (state.all && list.length < 2) {
    // The specification forbids `all` on a single value; it is harmless, so accept it.
  }
  if (state.fieldref) {
    if (!field) throw invalid(where, `'fieldref' needs a field name`);
    const test = fieldrefTest(state.fieldref.mode, state.fieldref.cased);
    const nodes: Node[] = state.fieldref.fields.map((other) => ({ op: 'fieldref', field, other, test }));
    const linked: Node = nodes.length === 1 ? nodes[0]! : { op: state.all ? 'and' : 'or', nodes };
    return state.neq ? { op: 'not', node: linked } : linked;
  }
  const keywordSearch = field === '';
  const values = keywordSearch ? state.values.map(asKeyword) : state.values;
  const part = state.timePart;
  // A time part turns the value into a number first: no string fast path.
  const leaf = (group: SigmaValue[]): Node => {
    const tests = group.map(valueTest);
    const test: ValueTest = part ? anyOf(tests.map((t) => (v: unknown) => t(timePart(part, v)))) : anyOf(tests);
    if (part) return keywordSearch ? { op: 'keyword', test } : { op: 'field', field, test };
    const parts = group.flatMap(textParts);
    const text = mergeTextParts(parts);
    if (keywordSearch) return { op: 'keyword', test, text };
    const literals = foldedLiterals(parts);
    return literals ? { op: 'field', field, test, text, literals } : { op: 'field', field, test, text };
  };
  // OR-linked values become one leaf with one merged test; `all` keeps one leaf per value.
  const linked: Node = state.all && values.length > 1 ? { op: 'and', nodes: values.map((v) => leaf([v])) } : leaf(values);
  return state.neq ? { op: 'not', node: linked } : linked;
}

/** OR of value tests (the reference semantics of a value list). */
function anyOf(tests: ValueTest[]): ValueTest {
  if (tests.length === 1) return tests[0]!;
  return (v) => {
    for (const t of tests) if (t(v)) return true;
    return false;
  };
}

/** Keyword values match anywhere in a value (full-text search), unless anchored by a modifier. */
export function asKeyword(v: SigmaValue): SigmaValue {
  if (v.type === 'str') return { type: 'pattern', pattern: { tokens: wrapPattern(parsePattern(v.raw), true, true), cased: false } };
  if (v.type === 'number') return { type: 'pattern', pattern: { tokens: wrapPattern(literalPattern(String(v.value)), true, true), cased: false } };
  if (v.type === 'any') return { type: 'any', items: v.items.map(asKeyword) };
  return v;
}

