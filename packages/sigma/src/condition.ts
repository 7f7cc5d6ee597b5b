/**
 * The detection `condition`: tokenizer, recursive-descent parser and compilation to a
 * {@link Node} over the compiled search identifiers. Precedence, least to most binding,
 * is `or`, `and`, `not`, `x of`, parentheses, as the specification lists it.
 *
 * @module
 */
import { invalid, unsupported } from './errors.js';
import { compileGlob, globMatch } from './glob.js';
import type { Node } from './ir.js';
import type { PatternToken } from './pattern.js';

/** A parsed condition. */
export type Condition =
  | { t: 'id'; name: string }
  | { t: 'and' | 'or'; items: Condition[] }
  | { t: 'not'; item: Condition }
  /** `1 of x*`, `all of them`, `3 of sel_*`. */
  | { t: 'of'; count: number | 'all'; pattern: string | 'them' };

type Token = { kind: 'word'; text: string; pos: number } | { kind: '('; pos: number } | { kind: ')'; pos: number };

const WHERE = 'detection.condition';

/**
 * Deepest nesting of parentheses and `not`s a condition may have. Real rules nest a few
 * levels; the parser and the compiled tree recurse per level, so a bound keeps a hostile
 * `((((…` or `not not not …` from exhausting the stack.
 */
export const MAX_CONDITION_DEPTH = 64;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(\()|(\))|([^\s()]+))/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    m = re.exec(text);
    if (!m || m[0].length === 0) break;
    const at = pos + m[0].length - (m[1] ?? m[2] ?? m[3] ?? '').length;
    pos += m[0].length;
    if (m[1]) tokens.push({ kind: '(', pos: at });
    else if (m[2]) tokens.push({ kind: ')', pos: at });
    else if (m[3]) tokens.push({ kind: 'word', text: m[3], pos: at });
  }
  return tokens;
}

const IDENT = /^[A-Za-z0-9_*.\-?]+$/;

/** Parse a condition string. Throws an invalid/unsupported {@link SigmaRuleError} naming the position. */
export function parseCondition(text: string): Condition {
  if (text.includes('|')) {
    throw unsupported(WHERE, `aggregation expressions ('| count() …', '| near …') are Sigma 1 syntax this engine does not run; rewrite as a correlation rule`);
  }
  const tokens = tokenize(text);
  let i = 0;
  const word = (t: Token | undefined) => (t?.kind === 'word' ? t.text.toLowerCase() : undefined);
  const fail = (msg: string): never => {
    const t = tokens[i];
    throw invalid(WHERE, `${msg} at ${t ? `'${t.kind === 'word' ? t.text : t.kind}' (column ${t.pos + 1})` : 'end'} in '${text}'`);
  };

  function parseOr(): Condition {
    const items = [parseAnd()];
    while (word(tokens[i]) === 'or') {
      i++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0]! : { t: 'or', items };
  }
  function parseAnd(): Condition {
    const items = [parseNot()];
    while (word(tokens[i]) === 'and') {
      i++;
      items.push(parseNot());
    }
    return items.length === 1 ? items[0]! : { t: 'and', items };
  }
  let depth = 0;
  const enter = () => {
    if (++depth > MAX_CONDITION_DEPTH) {
      throw invalid(WHERE, `condition nests deeper than ${MAX_CONDITION_DEPTH} (parentheses and 'not's) at column ${(tokens[i]?.pos ?? text.length) + 1}`);
    }
  };
  function parseNot(): Condition {
    if (word(tokens[i]) === 'not') {
      i++;
      enter();
      const item = parseNot();
      depth--;
      return { t: 'not', item };
    }
    return parsePrimary();
  }
  function parsePrimary(): Condition {
    const t = tokens[i];
    if (!t) return fail('expected a search identifier');
    if (t.kind === '(') {
      i++;
      enter();
      const inner = parseOr();
      depth--;
      if (tokens[i]?.kind !== ')') fail(`expected ')'`);
      i++;
      return inner;
    }
    if (t.kind === ')') return fail(`unexpected ')'`);
    const w = t.text.toLowerCase();
    if (word(tokens[i + 1]) === 'of') {
      let count: number | 'all';
      if (w === 'all') count = 'all';
      else if (w === 'any') count = 1;
      else if (/^\d+$/.test(w) && Number(w) >= 1) count = Number(w);
      else return fail(`expected '1', 'all' or a count before 'of'`);
      i += 2;
      const target = tokens[i];
      if (target?.kind !== 'word' || ['and', 'or', 'not', 'of'].includes(target.text.toLowerCase())) return fail(`expected 'them' or an identifier pattern after 'of'`);
      i++;
      return { t: 'of', count, pattern: target.text.toLowerCase() === 'them' ? 'them' : target.text };
    }
    if (['and', 'or', 'not', 'of', 'them'].includes(w)) return fail(`unexpected '${t.text}'`);
    if (!IDENT.test(t.text)) return fail(`bad search identifier`);
    i++;
    return { t: 'id', name: t.text };
  }

  if (tokens.length === 0) throw invalid(WHERE, 'the condition is empty');
  const result = parseOr();
  if (i < tokens.length) fail('unexpected token');
  return result;
}


/**
 * Compile a parsed condition over the compiled search identifiers. An identifier the
 * detection lacks, or a pattern that matches none, makes the rule invalid.
 */
export function compileCondition(cond: Condition, selections: ReadonlyMap<string, Node>, source: string): Node {
  switch (cond.t) {
    case 'id': {
      const node = selections.get(cond.name);
      if (!node) {
        throw invalid(WHERE, `'${source}' names '${cond.name}', which the detection does not define (defined: ${[...selections.keys()].join(', ') || 'none'})`);
      }
      return node;
    }
    case 'not':
      return { op: 'not', node: compileCondition(cond.item, selections, source) };
    case 'and':
    case 'or':
      return { op: cond.t, nodes: cond.items.map((c) => compileCondition(c, selections, source)) };
    case 'of': {
      let names: string[];
      if (cond.pattern === 'them') {
        names = [...selections.keys()].filter((n) => !n.startsWith('_'));
      } else {
        // Identifiers hold no escapes: `*` and `?` are the only wildcards.
        const glob = compileGlob(Array.from(cond.pattern, (c): PatternToken => (c === '*' ? { t: 'star' } : c === '?' ? { t: 'one' } : { t: 'lit', c })), false);
        names = [...selections.keys()].filter((n) => globMatch(glob, n));
      }
      if (names.length === 0) {
        throw invalid(WHERE, `'${source}': '${cond.pattern}' matches no search identifier (defined: ${[...selections.keys()].join(', ') || 'none'})`);
      }
      const nodes = names.map((n) => selections.get(n)!);
      if (cond.count === 'all') return { op: 'and', nodes };
      if (cond.count === 1) return { op: 'or', nodes };
      if (cond.count > nodes.length) return { op: 'const', value: false };
      return { op: 'atLeast', n: cond.count, nodes };
    }
  }
}
