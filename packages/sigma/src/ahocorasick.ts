/**
 * Aho-Corasick multi-string search: every occurrence of any of many needles in one pass
 * over the text. The rule-set prefilter runs one automaton per field (all the needles
 * every rule tests on, say, CommandLine) instead of hundreds of `includes` calls.
 *
 * The automaton is a full DFA over a compressed alphabet (each UTF-16 code unit that
 * occurs in a needle gets a class; every other unit is class 0), stored in one
 * `Int32Array`, so a scan costs a table lookup per code unit. That table is states ×
 * classes: for a huge needle list (a 100k-value rule) it would take hundreds of MB, so
 * past {@link MAX_DENSE_CELLS} the automaton keeps only the trie's own edges (sorted per
 * state, in flat arrays) and failure links: memory proportional to the needles' length,
 * and a scan that is still linear (amortised) in the text.
 *
 * @module
 */

/** Called for each occurrence: the needle's index and the text index of its last unit. */
export type MatchVisitor = (needle: number, end: number) => void;

/** Largest dense transition table (cells of 4 bytes) before the sparse form is used. */
export const MAX_DENSE_CELLS = 1 << 22;

/** The sparse form: per state, edges `[edgeStart[s], edgeStart[s + 1])` sorted by class. */
interface Sparse {
  edgeStart: Int32Array;
  edgeClass: Int32Array;
  edgeTarget: Int32Array;
  fail: Int32Array;
}

/** The target of state `s` on class `c` in the sparse form, or -1. */
function edge(sp: Sparse, s: number, c: number): number {
  let lo = sp.edgeStart[s]!;
  let hi = sp.edgeStart[s + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const mc = sp.edgeClass[mid]!;
    if (mc === c) return sp.edgeTarget[mid]!;
    if (mc < c) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** An immutable automaton over a list of non-empty needles. */
export class AhoCorasick {
  /** Code unit (< 128) → class. */
  private readonly ascii = new Int32Array(128);
  /** Code unit (>= 128) → class. */
  private readonly wide = new Map<number, number>();
  private readonly width: number;
  /** state * width + class → next state (empty in the sparse form). */
  private readonly delta: Int32Array;
  private readonly sparse: Sparse | undefined;
  /** Needles ending at each state (including those reached through failure links). */
  private readonly outputs: ReadonlyArray<readonly number[] | undefined>;

  /**
   * Build the automaton. Needles must be non-empty (an empty needle matches everywhere).
   * `maxDenseCells` (tests) lowers the size at which the sparse form is used.
   */
  constructor(needles: readonly string[], options: { maxDenseCells?: number } = {}) {
    let classes = 1;
    const classOf = (u: number): number => {
      if (u < 128) return this.ascii[u] || (this.ascii[u] = classes++);
      let c = this.wide.get(u);
      if (c === undefined) this.wide.set(u, (c = classes++));
      return c;
    };
    // The trie in one map (state × class → state) and the needles ending per state: a Map
    // or array per state would cost more than the needles themselves for 100k values.
    const trie = new Map<number, number>();
    const ends = new Map<number, number[]>();
    let states = 1;
    needles.forEach((needle, id) => {
      if (needle === '') throw new Error('AhoCorasick: empty needle');
      let s = 0;
      for (let i = 0; i < needle.length; i++) {
        const key = s * KEY + classOf(needle.charCodeAt(i));
        let next = trie.get(key);
        if (next === undefined) trie.set(key, (next = states++));
        s = next;
      }
      const list = ends.get(s);
      if (list) list.push(id);
      else ends.set(s, [id]);
    });
    const width = classes;
    this.width = width;
    const sparse = toSparse(trie, states);
    if (states * width > (options.maxDenseCells ?? MAX_DENSE_CELLS)) {
      this.outputs = linkFailures(sparse, ends);
      this.sparse = sparse;
      this.delta = new Int32Array(0);
      return;
    }
    this.sparse = undefined;
    // Breadth-first: failure links, then the full transition table.
    const delta = new Int32Array(states * width);
    const fail = new Int32Array(states);
    const outputs: Array<number[] | undefined> = new Array<number[] | undefined>(states);
    const queue: number[] = [];
    for (let k = sparse.edgeStart[0]!; k < sparse.edgeStart[1]!; k++) {
      delta[sparse.edgeClass[k]!] = sparse.edgeTarget[k]!;
      queue.push(sparse.edgeTarget[k]!);
    }
    outputs[0] = undefined;
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      const f = fail[s]!;
      const own = ends.get(s) ?? [];
      const inherited = outputs[f];
      outputs[s] = own.length || inherited ? [...own, ...(inherited ?? [])] : undefined;
      delta.copyWithin(s * width, f * width, f * width + width);
      for (let k = sparse.edgeStart[s]!; k < sparse.edgeStart[s + 1]!; k++) {
        const c = sparse.edgeClass[k]!;
        const next = sparse.edgeTarget[k]!;
        fail[next] = delta[f * width + c]!;
        delta[s * width + c] = next;
        queue.push(next);
      }
    }
    this.delta = delta;
    this.outputs = outputs;
  }

  /** Bytes held by the transition tables (dense or sparse; outputs not counted). */
  get byteSize(): number {
    const sp = this.sparse;
    return sp ? sp.edgeStart.byteLength + sp.edgeClass.byteLength + sp.edgeTarget.byteLength + sp.fail.byteLength : this.delta.byteLength;
  }

  /** Report every occurrence of every needle in `text`, in order of their end. */
  scan(text: string, visit: MatchVisitor): void {
    if (this.sparse) return this.scanSparse(text, visit, this.sparse);
    const { ascii, wide, width, delta, outputs } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const u = text.charCodeAt(i);
      const c = u < 128 ? ascii[u]! : (wide.get(u) ?? 0);
      s = delta[s * width + c]!;
      const out = outputs[s];
      if (out !== undefined) for (let k = 0; k < out.length; k++) visit(out[k]!, i);
    }
  }

  private scanSparse(text: string, visit: MatchVisitor, sp: Sparse): void {
    const { ascii, wide, outputs } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const u = text.charCodeAt(i);
      const c = u < 128 ? ascii[u]! : (wide.get(u) ?? 0);
      if (c === 0) {
        // A unit no needle has: every match in progress breaks.
        s = 0;
        continue;
      }
      let next = edge(sp, s, c);
      while (next < 0 && s !== 0) {
        s = sp.fail[s]!;
        next = edge(sp, s, c);
      }
      s = next < 0 ? 0 : next;
      const out = outputs[s];
      if (out !== undefined) for (let k = 0; k < out.length; k++) visit(out[k]!, i);
    }
  }
}

/** Multiplier of a trie key (state × KEY + class); classes are at most 65,537. */
const KEY = 1 << 17;

/** The trie's edges as flat arrays, sorted by class within each state (failure links still zero). */
function toSparse(trie: ReadonlyMap<number, number>, states: number): Sparse {
  const edgeStart = new Int32Array(states + 1);
  for (const key of trie.keys()) edgeStart[Math.floor(key / KEY) + 1]!++;
  for (let s = 0; s < states; s++) edgeStart[s + 1]! += edgeStart[s]!;
  const fill = edgeStart.slice(0, states);
  const edgeClass = new Int32Array(trie.size);
  const edgeTarget = new Int32Array(trie.size);
  for (const [key, target] of trie) {
    const s = Math.floor(key / KEY);
    const k = fill[s]!++;
    edgeClass[k] = key % KEY;
    edgeTarget[k] = target;
  }
  // Insertion sort per state: most states have one edge, the root a few dozen.
  for (let s = 0; s < states; s++) {
    for (let i = edgeStart[s]! + 1; i < edgeStart[s + 1]!; i++) {
      const c = edgeClass[i]!;
      const t = edgeTarget[i]!;
      let j = i - 1;
      for (; j >= edgeStart[s]! && edgeClass[j]! > c; j--) {
        edgeClass[j + 1] = edgeClass[j]!;
        edgeTarget[j + 1] = edgeTarget[j]!;
      }
      edgeClass[j + 1] = c;
      edgeTarget[j + 1] = t;
    }
  }
  return { edgeStart, edgeClass, edgeTarget, fail: new Int32Array(states) };
}

/** Failure links of the sparse form (breadth-first) and the needles ending at each state. */
function linkFailures(sparse: Sparse, ends: ReadonlyMap<number, number[]>): Array<readonly number[] | undefined> {
  const { edgeStart, edgeClass, edgeTarget, fail } = sparse;
  const outputs: Array<readonly number[] | undefined> = new Array<readonly number[] | undefined>(fail.length);
  const queue: number[] = [];
  for (let k = edgeStart[0]!; k < edgeStart[1]!; k++) queue.push(edgeTarget[k]!);
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!;
    const own = ends.get(s) ?? [];
    const inherited = outputs[fail[s]!];
    outputs[s] = own.length || inherited ? [...own, ...(inherited ?? [])] : undefined;
    for (let k = edgeStart[s]!; k < edgeStart[s + 1]!; k++) {
      const c = edgeClass[k]!;
      const child = edgeTarget[k]!;
      // The child's failure: the longest proper suffix state that has an edge on c.
      let f = fail[s]!;
      let target = edge(sparse, f, c);
      while (target < 0 && f !== 0) {
        f = fail[f]!;
        target = edge(sparse, f, c);
      }
      fail[child] = target < 0 || target === child ? 0 : target;
      queue.push(child);
    }
  }
  return outputs;
}
