/**
 * Aho-Corasick multi-string search: every occurrence of any of many needles in one pass
 * over the text. The rule-set prefilter runs one automaton per field (all the needles
 * every rule tests on, say, CommandLine) instead of hundreds of `includes` calls.
 *
 * The automaton is a full DFA over a compressed alphabet (each UTF-16 code unit that
 * occurs in a needle gets a class; every other unit is class 0), stored in one
 * `Int32Array`, so a scan costs a table lookup per code unit.
 *
 * @module
 */

/** Called for each occurrence: the needle's index and the text index of its last unit. */
export type MatchVisitor = (needle: number, end: number) => void;

/** An immutable automaton over a list of non-empty needles. */
export class AhoCorasick {
  /** Code unit (< 128) → class. */
  private readonly ascii = new Int32Array(128);
  /** Code unit (>= 128) → class. */
  private readonly wide = new Map<number, number>();
  private readonly width: number;
  /** state * width + class → next state. */
  private readonly delta: Int32Array;
  /** Needles ending at each state (including those reached through failure links). */
  private readonly outputs: ReadonlyArray<readonly number[] | undefined>;

  /** Build the automaton. Needles must be non-empty (an empty needle matches everywhere). */
  constructor(needles: readonly string[]) {
    let classes = 1;
    const classOf = (u: number): number => {
      if (u < 128) return this.ascii[u] || (this.ascii[u] = classes++);
      let c = this.wide.get(u);
      if (c === undefined) this.wide.set(u, (c = classes++));
      return c;
    };
    // Trie with sparse edges first.
    const edges: Array<Map<number, number>> = [new Map()];
    const ends: number[][] = [[]];
    needles.forEach((needle, id) => {
      if (needle === '') throw new Error('AhoCorasick: empty needle');
      let s = 0;
      for (let i = 0; i < needle.length; i++) {
        const c = classOf(needle.charCodeAt(i));
        let next = edges[s]!.get(c);
        if (next === undefined) {
          next = edges.length;
          edges.push(new Map());
          ends.push([]);
          edges[s]!.set(c, next);
        }
        s = next;
      }
      ends[s]!.push(id);
    });
    // Breadth-first: failure links, then the full transition table.
    const width = classes;
    const delta = new Int32Array(edges.length * width);
    const fail = new Int32Array(edges.length);
    const outputs: Array<number[] | undefined> = new Array<number[] | undefined>(edges.length);
    const queue: number[] = [];
    for (const [c, next] of edges[0]!) {
      delta[c] = next;
      queue.push(next);
    }
    outputs[0] = undefined;
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      const f = fail[s]!;
      const own = ends[s]!;
      const inherited = outputs[f];
      outputs[s] = own.length || inherited ? [...own, ...(inherited ?? [])] : undefined;
      for (let c = 0; c < width; c++) {
        const next = edges[s]!.get(c);
        if (next === undefined) delta[s * width + c] = delta[f * width + c]!;
        else {
          delta[s * width + c] = next;
          fail[next] = delta[f * width + c]!;
          queue.push(next);
        }
      }
    }
    this.width = width;
    this.delta = delta;
    this.outputs = outputs;
  }

  /** Report every occurrence of every needle in `text`, in order of their end. */
  scan(text: string, visit: MatchVisitor): void {
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
}
