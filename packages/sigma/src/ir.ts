/**
 * The compiled form of a rule's detection: a small boolean tree whose leaves test one
 * field (or, for keywords, every value). It is built once from the YAML and then bound
 * to field accessors for one target (an edrkit event kind, or a plain record), giving
 * a closure that evaluates an event with no YAML or string parsing.
 *
 * @module
 */
import { FieldCache, FieldTable } from './fieldcache.js';
import type { LiteralShape } from './pattern.js';
import type { TextTest } from './textmatch.js';

/** A test of one field value (`undefined` when the field is absent). */
export type ValueTest = (value: unknown) => boolean;

/** A node of the compiled detection tree. */
export type Node =
  | { op: 'and'; nodes: Node[] }
  | { op: 'or'; nodes: Node[] }
  | { op: 'not'; node: Node }
  | { op: 'atLeast'; n: number; nodes: Node[] }
  | { op: 'const'; value: boolean }
  /**
   * Test the value of `field`. `text`, when given, is a faster equivalent of `test` for
   * string values (it gets the value lower-cased once per event): for every string `s`,
   * `text(s, s.toLowerCase()) === test(s)`.
   */
  | {
      op: 'field';
      field: string;
      test: ValueTest;
      text?: TextTest;
      /**
       * When given, a string value passes exactly when its lower-cased text matches one
       * of these (the rule-set prefilter indexes them; see `guard.ts`).
       */
      literals?: readonly LiteralShape[];
    }
  /** Compare two fields of the same event (the `fieldref` modifier). */
  | { op: 'fieldref'; field: string; other: string; test: (value: unknown, other: unknown) => boolean }
  /** Field-less search: true when any string value of the event passes `test` (`text`: as for `field`). */
  | { op: 'keyword'; test: ValueTest; text?: TextTest };

/** Reads one field from a document; returns undefined when absent. */
export type Accessor<D> = (doc: D) => unknown;

/** How a target resolves field names and keyword searches. */
export interface FieldResolver<D> {
  /** Accessor for a Sigma field name. */
  field(name: string): Accessor<D>;
  /** Every searchable string of a document, for keyword (field-less) search. */
  keywords(doc: D): Iterable<string>;
}

/** Every field name a tree reads (for lint warnings and docs). */
export function fieldsOf(node: Node, out = new Set<string>()): Set<string> {
  switch (node.op) {
    case 'and':
    case 'or':
    case 'atLeast':
      for (const n of node.nodes) fieldsOf(n, out);
      break;
    case 'not':
      fieldsOf(node.node, out);
      break;
    case 'field':
      out.add(node.field);
      break;
    case 'fieldref':
      out.add(node.field).add(node.other);
      break;
    default:
      break;
  }
  return out;
}

/** Whether a tree contains a keyword (field-less) search. */
export function usesKeywords(node: Node): boolean {
  switch (node.op) {
    case 'and':
    case 'or':
    case 'atLeast':
      return node.nodes.some(usesKeywords);
    case 'not':
      return usesKeywords(node.node);
    case 'keyword':
      return true;
    default:
      return false;
  }
}

/** A bound tree: evaluates the document held by a {@link FieldCache}. */
export type CachedPredicate<D> = (cache: FieldCache<D>) => boolean;

/**
 * Bind a tree to the fields of a {@link FieldTable}. Rules bound to the same table share
 * one {@link FieldCache} per document, so each field is read and lower-cased once per
 * document however many rules test it.
 */
export function bindCached<D>(node: Node, table: FieldTable<D>): CachedPredicate<D> {
  switch (node.op) {
    case 'const': {
      const v = node.value;
      return () => v;
    }
    case 'not': {
      const inner = bindCached(node.node, table);
      return (c) => !inner(c);
    }
    case 'and': {
      const parts = node.nodes.map((n) => bindCached(n, table));
      if (parts.length === 1) return parts[0]!;
      if (parts.length === 2) {
        const [a, b] = parts as [CachedPredicate<D>, CachedPredicate<D>];
        return (c) => a(c) && b(c);
      }
      return (c) => {
        for (const p of parts) if (!p(c)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = node.nodes.map((n) => bindCached(n, table));
      if (parts.length === 1) return parts[0]!;
      if (parts.length === 2) {
        const [a, b] = parts as [CachedPredicate<D>, CachedPredicate<D>];
        return (c) => a(c) || b(c);
      }
      return (c) => {
        for (const p of parts) if (p(c)) return true;
        return false;
      };
    }
    case 'atLeast': {
      const parts = node.nodes.map((n) => bindCached(n, table));
      const n = node.n;
      return (c) => {
        let hits = 0;
        for (const p of parts) if (p(c) && ++hits >= n) return true;
        return false;
      };
    }
    case 'field': {
      const slot = table.slot(node.field);
      const { test, text } = node;
      if (!text) return (c) => test(c.value(slot));
      return (c) => {
        const v = c.value(slot);
        return typeof v === 'string' ? text(v, c.lower(slot, v)) : test(v);
      };
    }
    case 'fieldref': {
      const slot = table.slot(node.field);
      const other = table.slot(node.other);
      const test = node.test;
      return (c) => test(c.value(slot), c.value(other));
    }
    case 'keyword': {
      const { test, text } = node;
      if (!text) {
        return (c) => {
          for (const s of c.keywords()) if (test(s)) return true;
          return false;
        };
      }
      return (c) => {
        const values = c.keywords();
        const lowers = c.keywordLowers();
        for (let i = 0; i < values.length; i++) {
          const s = values[i]!;
          if (typeof s === 'string' ? text(s, lowers[i]!) : test(s)) return true;
        }
        return false;
      };
    }
  }
}

/** Bind a tree to a target's accessors, producing the predicate that runs per event. */
export function bind<D>(node: Node, resolver: FieldResolver<D>): (doc: D) => boolean {
  const table = new FieldTable(resolver);
  const pred = bindCached(node, table);
  const cache = new FieldCache(table);
  return (doc) => {
    cache.reset(doc);
    return pred(cache);
  };
}
