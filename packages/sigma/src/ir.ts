/**
 * The compiled form of a rule's detection: a small boolean tree whose leaves test one
 * field (or, for keywords, every value). It is built once from the YAML and then bound
 * to field accessors for one target (an edrkit event kind, or a plain record), giving
 * a closure that evaluates an event with no YAML or string parsing.
 *
 * @module
 */

/** A test of one field value (`undefined` when the field is absent). */
export type ValueTest = (value: unknown) => boolean;

/** A node of the compiled detection tree. */
export type Node =
  | { op: 'and'; nodes: Node[] }
  | { op: 'or'; nodes: Node[] }
  | { op: 'not'; node: Node }
  | { op: 'atLeast'; n: number; nodes: Node[] }
  | { op: 'const'; value: boolean }
  /** Test the value of `field`. */
  | { op: 'field'; field: string; test: ValueTest }
  /** Compare two fields of the same event (the `fieldref` modifier). */
  | { op: 'fieldref'; field: string; other: string; test: (value: unknown, other: unknown) => boolean }
  /** Field-less search: true when any string value of the event passes `test`. */
  | { op: 'keyword'; test: ValueTest };

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

/** Bind a tree to a target's accessors, producing the predicate that runs per event. */
export function bind<D>(node: Node, resolver: FieldResolver<D>): (doc: D) => boolean {
  switch (node.op) {
    case 'const': {
      const v = node.value;
      return () => v;
    }
    case 'not': {
      const inner = bind(node.node, resolver);
      return (d) => !inner(d);
    }
    case 'and': {
      const parts = node.nodes.map((n) => bind(n, resolver));
      if (parts.length === 1) return parts[0]!;
      if (parts.length === 2) {
        const [a, b] = parts as [(d: D) => boolean, (d: D) => boolean];
        return (d) => a(d) && b(d);
      }
      return (d) => {
        for (const p of parts) if (!p(d)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = node.nodes.map((n) => bind(n, resolver));
      if (parts.length === 1) return parts[0]!;
      return (d) => {
        for (const p of parts) if (p(d)) return true;
        return false;
      };
    }
    case 'atLeast': {
      const parts = node.nodes.map((n) => bind(n, resolver));
      const n = node.n;
      return (d) => {
        let hits = 0;
        for (const p of parts) if (p(d) && ++hits >= n) return true;
        return false;
      };
    }
    case 'field': {
      const get = resolver.field(node.field);
      const test = node.test;
      return (d) => test(get(d));
    }
    case 'fieldref': {
      const get = resolver.field(node.field);
      const other = resolver.field(node.other);
      const test = node.test;
      return (d) => test(get(d), other(d));
    }
    case 'keyword': {
      const test = node.test;
      return (d) => {
        for (const s of resolver.keywords(d)) if (test(s)) return true;
        return false;
      };
    }
  }
}
