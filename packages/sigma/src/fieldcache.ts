/**
 * Per-event field values shared by every rule evaluated on the event. Dozens of rules
 * read the same few fields (Image, CommandLine, ParentImage, …); resolving each field
 * and lower-casing its text once per event, instead of once per rule and value, is most
 * of what makes a large rule set fast.
 *
 * A {@link FieldTable} numbers the fields a group of rules reads on one target (slots,
 * assigned when the rules are bound); a {@link FieldCache} holds one event's values for
 * those slots, filled on first use.
 *
 * @module
 */
import type { Accessor, FieldResolver } from './ir.js';

/** The fields a group of rules reads on one target, numbered, with their accessors. */
export class FieldTable<D> {
  /** How this target resolves field names and keywords. */
  readonly resolver: FieldResolver<D>;
  /** The accessor of each slot. */
  readonly accessors: Accessor<D>[] = [];
  private readonly slots = new Map<string, number>();

  constructor(resolver: FieldResolver<D>) {
    this.resolver = resolver;
  }

  /** The slot of a Sigma field name (assigned on first use). */
  slot(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.accessors.length;
      this.slots.set(name, slot);
      this.accessors.push(this.resolver.field(name));
    }
    return slot;
  }
}

/**
 * One document's field values, resolved lazily and kept until {@link FieldCache.reset}.
 * Entries are tagged with a generation number so that starting the next document costs
 * nothing (no clearing of arrays).
 */
export class FieldCache<D> {
  private readonly table: FieldTable<D>;
  private doc!: D;
  private generation = 1;
  private readonly valueGen: number[] = [];
  private readonly values: unknown[] = [];
  private readonly lowerGen: number[] = [];
  private readonly lowers: string[] = [];
  private keywordGen = 0;
  private keywordList: string[] = [];
  private keywordLowerList: string[] = [];

  constructor(table: FieldTable<D>) {
    this.table = table;
    // Pre-size so the arrays stay packed; slots added later simply grow them.
    const n = table.accessors.length;
    for (let i = 0; i < n; i++) {
      this.valueGen.push(0);
      this.values.push(undefined);
      this.lowerGen.push(0);
      this.lowers.push('');
    }
  }

  /** Start evaluating a new document. */
  reset(doc: D): void {
    this.doc = doc;
    this.generation++;
  }

  /** The value of a slot for the current document. */
  value(slot: number): unknown {
    if (this.valueGen[slot] === this.generation) return this.values[slot];
    // If the accessor throws, nothing is cached: the next rule sees the same error.
    const v = this.table.accessors[slot]!(this.doc);
    this.values[slot] = v;
    this.valueGen[slot] = this.generation;
    return v;
  }

  /** `text.toLowerCase()`, where `text` is the (string) value of `slot`. */
  lower(slot: number, text: string): string {
    if (this.lowerGen[slot] === this.generation) return this.lowers[slot]!;
    const l = text.toLowerCase();
    this.lowers[slot] = l;
    this.lowerGen[slot] = this.generation;
    return l;
  }

  /** Every searchable string of the document (keyword search). */
  keywords(): readonly string[] {
    if (this.keywordGen !== this.generation) {
      this.keywordList = [...this.table.resolver.keywords(this.doc)];
      this.keywordLowerList = this.keywordList.map((s) => (typeof s === 'string' ? s.toLowerCase() : ''));
      this.keywordGen = this.generation;
    }
    return this.keywordList;
  }

  /** The lower-cased {@link FieldCache.keywords}, index for index. */
  keywordLowers(): readonly string[] {
    this.keywords();
    return this.keywordLowerList;
  }
}
