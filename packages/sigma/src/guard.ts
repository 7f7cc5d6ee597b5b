/**
 * Guards: for a rule's detection tree, a few indexable leaves at least one of which
 * must pass whenever the rule matches. The rule-set prefilter looks all guards up at
 * once per event and evaluates only the rules whose guard hit, so an event costs a few
 * automaton scans plus the handful of rules that could match, not every rule.
 *
 * @module
 */
import type { Node } from './ir.js';
import type { LiteralShape } from './pattern.js';

/** A leaf `field` test made only of case-insensitive literals (see the `literals` of a field node). */
export interface GuardLeaf {
  field: string;
  literals: readonly LiteralShape[];
}

/** How much a guard costs to check and how often it passes by chance: lower is better. */
function cost(guard: readonly GuardLeaf[]): number {
  let total = 0;
  for (const leaf of guard) {
    for (const { mode, needle } of leaf.literals) {
      // Short needles and substring tests pass often; exact values rarely.
      total += (mode === 'eq' ? 1 : mode === 'contains' ? 3 : 2) + 8 / (needle.length + 1);
    }
  }
  return total;
}

/**
 * Leaves such that, whenever `node` is true, one of them passes — or undefined when the
 * tree has no such set (negations, regular expressions, keywords, …). The leaves are the
 * tree's own, so "passes" means the same test on the same field.
 */
export function guardOf(node: Node): GuardLeaf[] | undefined {
  switch (node.op) {
    case 'field':
      return node.literals ? [{ field: node.field, literals: node.literals }] : undefined;
    case 'and': {
      // Every child must pass, so any child's guard will do: take the cheapest.
      let best: GuardLeaf[] | undefined;
      for (const child of node.nodes) {
        const g = guardOf(child);
        if (g && (!best || cost(g) < cost(best))) best = g;
      }
      return best;
    }
    case 'or':
      return unionOf(node.nodes);
    case 'atLeast':
      // "n of …" with n >= 1 needs at least one child to pass.
      return node.n >= 1 ? unionOf(node.nodes) : undefined;
    default:
      return undefined;
  }
}

/** One of `nodes` must pass: every one of them needs a guard. */
function unionOf(nodes: readonly Node[]): GuardLeaf[] | undefined {
  const out: GuardLeaf[] = [];
  for (const child of nodes) {
    const g = guardOf(child);
    if (!g) return undefined;
    out.push(...g);
  }
  return out;
}
