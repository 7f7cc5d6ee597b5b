/**
 * A rule's `detection` section compiled to one {@link Node}: each search identifier
 * (a map: AND of its items; a list of maps: OR; a list of scalars: keywords, OR) and
 * then the condition (a list of conditions means OR).
 *
 * @module
 */
import { compileCondition, parseCondition } from './condition.js';
import { invalid, unsupported } from './errors.js';
import type { Node } from './ir.js';
import { compileItem, type ValueOptions } from './modifiers.js';

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compileMap(map: Record<string, unknown>, where: string, options: ValueOptions): Node {
  const keys = Object.keys(map);
  if (keys.length === 0) throw invalid(where, 'an empty map matches nothing; give at least one field');
  const nodes = keys.map((key) => compileItem(key, map[key], `${where}.${key}`, options));
  return nodes.length === 1 ? nodes[0]! : { op: 'and', nodes };
}

/** Compile one search identifier's definition. */
export function compileSearch(def: unknown, where: string, options: ValueOptions = {}): Node {
  if (isMap(def)) return compileMap(def, where, options);
  if (Array.isArray(def)) {
    if (def.length === 0) throw invalid(where, 'an empty list matches nothing');
    const maps: Node[] = [];
    const keywords: unknown[] = [];
    def.forEach((item, i) => {
      if (isMap(item)) maps.push(compileMap(item, `${where}[${i}]`, options));
      else if (Array.isArray(item)) throw invalid(`${where}[${i}]`, 'a list inside a list is not valid Sigma');
      else if (item === null) throw invalid(`${where}[${i}]`, 'null is not a keyword');
      else keywords.push(item);
    });
    const nodes = [...maps];
    if (keywords.length > 0) nodes.push(compileItem('', keywords, where, options));
    return nodes.length === 1 ? nodes[0]! : { op: 'or', nodes };
  }
  if (typeof def === 'string' || typeof def === 'number') return compileItem('', def, where, options);
  throw invalid(where, `a search identifier must be a map, a list of maps or a list of keywords, not ${def === null ? 'null' : typeof def}`);
}

/** Compile a whole `detection` section. */
export function compileDetection(detection: Record<string, unknown>, options: ValueOptions = {}): Node {
  const { condition, timeframe, ...searches } = detection;
  if (timeframe !== undefined) {
    throw unsupported('detection.timeframe', 'timeframe belongs to aggregations/correlations, which this engine does not run');
  }
  const selections = new Map<string, Node>();
  for (const [name, def] of Object.entries(searches)) selections.set(name, compileSearch(def, `detection.${name}`, options));
  const conditions = Array.isArray(condition) ? condition : [condition];
  if (condition === undefined || conditions.length === 0) throw invalid('detection.condition', 'missing; every rule needs a condition');
  const nodes = conditions.map((c, i) => {
    if (typeof c !== 'string') throw invalid(`detection.condition${Array.isArray(condition) ? `[${i}]` : ''}`, 'must be a string');
    return compileCondition(parseCondition(c), selections, c);
  });
  return nodes.length === 1 ? nodes[0]! : { op: 'or', nodes };
}
