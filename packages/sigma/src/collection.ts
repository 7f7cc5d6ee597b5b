/**
 * Sigma YAML files: one rule, or a multi-document collection. Sigma 1 collections use
 * `action: global` (merged into every following document), `action: reset` (drops the
 * global part) and `action: repeat` (the previous rule with changes), which are resolved
 * here into one plain document per rule.
 *
 * @module
 */
import { tooDeepPath } from '@edrkit/core';
import { Lexer, parseAllDocuments } from 'yaml';

/**
 * Deepest nesting of maps and lists a rule may have (real rules use about 5). The YAML
 * library composes documents recursively: 1000 nested `[` overflow its stack and 100k
 * take the process down, so nesting is measured before the text reaches it.
 */
export const MAX_YAML_DEPTH = 64;

/** Deepest indentation accepted (columns); block nesting needs at least one column per two levels. */
const MAX_INDENT = 2 * MAX_YAML_DEPTH;

/** Why `text` nests too deep for the YAML library, or undefined. Linear in the text. */
function nestingProblem(text: string): string | undefined {
  const indent = new RegExp(`^ {${MAX_INDENT + 1}}`, 'm').exec(text);
  if (indent) {
    const line = text.slice(0, indent.index).split('\n').length;
    return `YAML nests deeper than ${MAX_YAML_DEPTH} levels (line ${line} is indented more than ${MAX_INDENT} columns)`;
  }
  // Flow collections (`[[[…`) can nest on one line. Counting brackets is exact only with
  // quotes and block scalars understood, which the library's own (iterative) lexer does;
  // it runs only when there are enough brackets to matter.
  let brackets = 0;
  for (let i = 0; i < text.length && brackets <= MAX_YAML_DEPTH; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) brackets++;
  }
  if (brackets <= MAX_YAML_DEPTH) return undefined;
  let depth = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > MAX_YAML_DEPTH) return `YAML nests deeper than ${MAX_YAML_DEPTH} levels ([ and { inside each other)`;
    } else if (token === ']' || token === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** One document of a YAML file, after collection actions are applied. */
export type RuleDocument =
  /** `index` is the 0-based document number in the file. */
  | { ok: true; index: number; doc: unknown }
  | { ok: false; index: number; reason: string };

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge for collections: maps merge key by key, anything else is replaced. */
export function mergeDocuments(base: unknown, over: unknown): unknown {
  if (!isMap(base) || !isMap(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeDocuments(base[k], v) : v;
  return out;
}

/**
 * Parse Sigma YAML text. Never throws: a document with a YAML error comes back as
 * `{ ok: false, reason }` naming the line, and the other documents still load.
 */
export function parseRuleDocuments(text: string): RuleDocument[] {
  const out: RuleDocument[] = [];
  const deep = nestingProblem(text);
  if (deep) return [{ ok: false, index: 0, reason: deep }];
  let docs;
  try {
    docs = parseAllDocuments(text, { schema: 'core', uniqueKeys: true, prettyErrors: true });
  } catch (err) {
    return [{ ok: false, index: 0, reason: `YAML: ${(err as Error).message}` }];
  }
  if (!Array.isArray(docs)) docs = [docs];
  let global: Record<string, unknown> = {};
  let previous: unknown;
  docs.forEach((d, index) => {
    if (d.errors.length > 0) {
      const e = d.errors[0]!;
      out.push({ ok: false, index, reason: `YAML: ${e.message.split('\n')[0]}${e.linePos ? ` (line ${e.linePos[0].line})` : ''}` });
      return;
    }
    let value: unknown;
    try {
      value = d.toJS({ maxAliasCount: 100 });
    } catch (err) {
      out.push({ ok: false, index, reason: `YAML: ${(err as Error).message}` });
      return;
    }
    // Aliases can build depth the text does not show.
    const deepAt = tooDeepPath(value, MAX_YAML_DEPTH);
    if (deepAt !== undefined) {
      out.push({ ok: false, index, reason: `YAML nests deeper than ${MAX_YAML_DEPTH} levels at ${deepAt}` });
      return;
    }
    // An empty document (a trailing `---`) is not a rule.
    if (value === null || value === undefined) return;
    if (isMap(value) && 'action' in value) {
      const { action, ...rest } = value;
      if (action === 'global') {
        global = mergeDocuments(global, rest) as Record<string, unknown>;
        return;
      }
      if (action === 'reset') {
        global = {};
        return;
      }
      if (action === 'repeat') {
        if (previous === undefined) {
          out.push({ ok: false, index, reason: "collection: 'action: repeat' has no previous rule to repeat" });
          return;
        }
        previous = mergeDocuments(previous, rest);
        out.push({ ok: true, index, doc: previous });
        return;
      }
      out.push({ ok: false, index, reason: `collection: unknown action '${String(action)}' (expected global, reset or repeat)` });
      return;
    }
    previous = Object.keys(global).length > 0 ? mergeDocuments(global, value) : value;
    out.push({ ok: true, index, doc: previous });
  });
  return out;
}
