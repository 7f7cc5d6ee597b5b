/**
 * Sigma values after modifiers, and the tests they compile to. Matching follows the
 * specification: strings case-insensitive (unless `cased`), wildcards, numbers compared
 * as numbers or as their decimal text, `null` meaning absent, and a field holding a list
 * (argv, DNS answers) matching when any element matches.
 *
 * @module
 */
import { compileCidr } from './cidr.js';
import { compilePattern, literalPattern, literalShape, parsePattern, patternTest, type Pattern } from './pattern.js';
import type { ValueTest } from './ir.js';
import type { TextRegex } from './regex.js';
import type { TextPart } from './textmatch.js';

/** A value of a detection item as the modifiers leave it. */
export type SigmaValue =
  /** A plain YAML string, not yet parsed for wildcards (modifiers like `re` need it raw). */
  | { type: 'str'; raw: string }
  | { type: 'pattern'; pattern: Pattern }
  | { type: 'bytes'; bytes: Uint8Array }
  | { type: 'number'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'null' }
  /** A rule's regular expression, on a linear-time engine (see `regex.ts`). */
  | { type: 're'; regex: TextRegex }
  | { type: 'cidr'; test: (ip: string) => boolean; text: string }
  | { type: 'compare'; op: 'lt' | 'lte' | 'gt' | 'gte'; value: number }
  | { type: 'exists'; value: boolean }
  /** Alternatives from one original value (base64offset, expand): any may match. */
  | { type: 'any'; items: SigmaValue[] };

/** A scalar field value as text, or undefined for objects and absent fields. */
export function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      return undefined;
  }
}

/** Lift a scalar test so a list-valued field matches when any element does. */
function overElements(test: (v: unknown) => boolean): ValueTest {
  return (v) => {
    if (Array.isArray(v)) {
      for (const item of v) if (test(item)) return true;
      return false;
    }
    return test(v);
  };
}

function textTest(match: (s: string) => boolean): ValueTest {
  return overElements((v) => {
    const s = scalarText(v);
    return s !== undefined && match(s);
  });
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/** Compile one value to a test of a field value. */
export function valueTest(value: SigmaValue): ValueTest {
  switch (value.type) {
    case 'str':
      return textTest(compilePattern({ tokens: parsePattern(value.raw), cased: false }));
    case 'pattern':
      return textTest(compilePattern(value.pattern));
    case 'bytes':
      return textTest(compilePattern({ tokens: literalPattern(Buffer.from(value.bytes).toString('latin1')), cased: true }));
    case 'number': {
      const n = value.value;
      const text = String(n);
      return overElements((v) => {
        if (typeof v === 'number') return v === n;
        if (typeof v === 'string') return v === text || toNumber(v) === n;
        if (typeof v === 'bigint') return Number(v) === n;
        return false;
      });
    }
    case 'bool': {
      const b = value.value;
      const text = String(b);
      return overElements((v) => v === b || (typeof v === 'string' && v.toLowerCase() === text));
    }
    case 'null':
      return (v) => v === undefined || v === null;
    case 'exists': {
      const want = value.value;
      return (v) => (v !== undefined) === want;
    }
    case 're': {
      const re = value.regex;
      return textTest((s) => re.test(s));
    }
    case 'cidr':
      return textTest(value.test);
    case 'compare': {
      const n = value.value;
      const cmp =
        value.op === 'lt' ? (x: number) => x < n : value.op === 'lte' ? (x: number) => x <= n : value.op === 'gt' ? (x: number) => x > n : (x: number) => x >= n;
      return overElements((v) => {
        const x = toNumber(v);
        return x !== undefined && cmp(x);
      });
    }
    case 'any': {
      const tests = value.items.map(valueTest);
      return (v) => tests.some((t) => t(v));
    }
  }
}

function patternPart(pattern: Pattern): TextPart {
  const shape = literalShape(pattern);
  if (shape) return { kind: 'literal', shape };
  return { kind: 'test', test: patternTest(pattern) };
}

/**
 * What one value means for a string field value, in the form {@link mergeTextParts}
 * merges: for every string `s`, the parts OR-ed give exactly `valueTest(value)(s)`.
 */
export function textParts(value: SigmaValue): TextPart[] {
  switch (value.type) {
    case 'str':
      return [patternPart({ tokens: parsePattern(value.raw), cased: false })];
    case 'pattern':
      return [patternPart(value.pattern)];
    case 'bytes':
      return [patternPart({ tokens: literalPattern(Buffer.from(value.bytes).toString('latin1')), cased: true })];
    case 'number': {
      const n = value.value;
      const text = String(n);
      return [{ kind: 'test', test: (s) => s === text || toNumber(s) === n }];
    }
    case 'bool': {
      // `s.toLowerCase() === 'true'`: the caller passes the lower-cased value.
      const text = String(value.value);
      return [{ kind: 'test', test: (_s, lower) => lower === text }];
    }
    case 'null':
      // A string is a present value.
      return [{ kind: 'never' }];
    case 'exists':
      return [{ kind: value.value ? 'always' : 'never' }];
    case 're': {
      const re = value.regex;
      return [{ kind: 'test', test: (s) => re.test(s) }];
    }
    case 'cidr': {
      const test = value.test;
      return [{ kind: 'test', test: (s) => test(s) }];
    }
    case 'compare': {
      const t = valueTest(value);
      return [{ kind: 'test', test: (s) => t(s) }];
    }
    case 'any':
      return value.items.flatMap(textParts);
  }
}

/** Build a `cidr` value, or undefined when the text is not a CIDR range. */
export function cidrValue(text: string): SigmaValue | undefined {
  const test = compileCidr(text);
  return test ? { type: 'cidr', test, text } : undefined;
}
