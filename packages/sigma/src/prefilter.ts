/**
 * The rule-set prefilter: which rules of a bucket could match an event, decided from
 * their {@link guardOf guards} in one pass per field. For each field some guard reads,
 * the guard needles of every rule are indexed together: exact values in a `Map`, the
 * others in one {@link AhoCorasick} automaton over the lower-cased value. A rule is a
 * candidate when one of its guard needles occurs as its mode requires (anywhere, at the
 * start, at the end).
 *
 * The prefilter only ever skips rules that cannot match: a guard field whose value is
 * not a string (absent, a number, a list) or whose accessor throws makes every rule it
 * guards a candidate, and rules without a guard are always candidates. Candidates are
 * then evaluated in full.
 *
 * @module
 */
import { AhoCorasick } from './ahocorasick.js';
import type { FieldCache, FieldTable } from './fieldcache.js';
import type { GuardLeaf } from './guard.js';

/** The rules to mark when one needle occurs, by where it occurs. */
interface NeedleRules {
  length: number;
  contains: number[];
  prefix: number[];
  suffix: number[];
}

/** Every guard needle on one field. */
class FieldIndex {
  readonly slot: number;
  /** Every rule with a guard leaf on this field. */
  readonly rules: number[] = [];
  /** Rules one of whose needles is empty: any string passes. */
  readonly anyString: number[] = [];
  readonly exact = new Map<string, number[]>();
  readonly needles: string[] = [];
  readonly byNeedle: NeedleRules[] = [];
  private readonly needleIds = new Map<string, number>();
  automaton: AhoCorasick | undefined;

  constructor(slot: number) {
    this.slot = slot;
  }

  add(leaf: GuardLeaf, rule: number): void {
    if (this.rules[this.rules.length - 1] !== rule) this.rules.push(rule);
    for (const { mode, needle } of leaf.literals) {
      if (mode === 'eq') {
        let list = this.exact.get(needle);
        if (!list) this.exact.set(needle, (list = []));
        list.push(rule);
      } else if (needle === '') {
        this.anyString.push(rule);
      } else {
        let id = this.needleIds.get(needle);
        if (id === undefined) {
          id = this.needles.length;
          this.needleIds.set(needle, id);
          this.needles.push(needle);
          this.byNeedle.push({ length: needle.length, contains: [], prefix: [], suffix: [] });
        }
        this.byNeedle[id]![mode].push(rule);
      }
    }
  }

  build(): void {
    this.automaton = this.needles.length > 0 ? new AhoCorasick(this.needles) : undefined;
  }
}

/** Marks the candidate rules of one bucket for the event in a {@link FieldCache}. */
export class Prefilter<D> {
  /** `marks[i]` is 1 when rule i must be evaluated for the current event. */
  readonly marks: Uint8Array;
  private readonly unguarded: number[] = [];
  private readonly fields: FieldIndex[];
  // State of the scan in progress, read by the visitor (created once, not per event).
  private scanLength = 0;
  private scanRules: NeedleRules[] = [];
  private readonly visit = (needle: number, end: number): void => {
    const r = this.scanRules[needle]!;
    this.markAll(r.contains);
    if (r.prefix.length > 0 && end + 1 === r.length) this.markAll(r.prefix);
    if (r.suffix.length > 0 && end + 1 === this.scanLength) this.markAll(r.suffix);
  };

  /** `guards[i]` is rule i's guard (undefined: always evaluate it); fields resolve through `table`. */
  constructor(guards: ReadonlyArray<readonly GuardLeaf[] | undefined>, table: FieldTable<D>) {
    this.marks = new Uint8Array(guards.length);
    const bySlot = new Map<number, FieldIndex>();
    guards.forEach((guard, rule) => {
      if (!guard) {
        this.unguarded.push(rule);
        return;
      }
      for (const leaf of guard) {
        const slot = table.slot(leaf.field);
        let index = bySlot.get(slot);
        if (!index) bySlot.set(slot, (index = new FieldIndex(slot)));
        index.add(leaf, rule);
      }
    });
    this.fields = [...bySlot.values()];
    for (const f of this.fields) f.build();
  }

  private markAll(rules: readonly number[]): void {
    for (let i = 0; i < rules.length; i++) this.marks[rules[i]!] = 1;
  }

  /** Set {@link Prefilter.marks} for the event `cache` holds. */
  mark(cache: FieldCache<D>): void {
    this.marks.fill(0);
    this.markAll(this.unguarded);
    for (const f of this.fields) {
      let value: unknown;
      try {
        value = cache.value(f.slot);
      } catch {
        // Let each rule meet (and survive) the error itself.
        this.markAll(f.rules);
        continue;
      }
      if (typeof value !== 'string') {
        // Lists and numbers are matched element-wise or as numbers: not indexed.
        this.markAll(f.rules);
        continue;
      }
      const lower = cache.lower(f.slot, value);
      this.markAll(f.anyString);
      const exact = f.exact.get(lower);
      if (exact) this.markAll(exact);
      if (f.automaton) {
        this.scanLength = lower.length;
        this.scanRules = f.byNeedle;
        f.automaton.scan(lower, this.visit);
      }
    }
  }
}
