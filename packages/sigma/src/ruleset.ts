/**
 * A set of compiled rules indexed by platform and kind, so an event is only checked
 * against the rules whose log source covers it. All rules of one kind are bound to one
 * {@link FieldTable}, so each event's fields are resolved and lower-cased once, in a
 * {@link FieldCache} the rules share, rather than once per rule; and a {@link Prefilter}
 * skips the rules whose guard needles do not occur in the event.
 *
 * @module
 */
import type { EdrEvent, EventKind, ObservableKind } from '@edrkit/core';
import type { LoadedRule } from './load.js';
import { FieldCache, FieldTable } from './fieldcache.js';
import { eventResolver } from './fields.js';
import { guardOf } from './guard.js';
import { Prefilter } from './prefilter.js';
import { bindCached, type CachedPredicate } from './ir.js';
import type { CompiledRule } from './rule.js';

/** A rule that matched an event. */
export interface SigmaMatch {
  rule: CompiledRule;
  event: EdrEvent;
}

interface Entry {
  rule: CompiledRule;
  test: CachedPredicate<EdrEvent>;
}

/** The rules of one platform and kind, the field cache they share, and their prefilter. */
interface Bucket {
  entries: Entry[];
  cache: FieldCache<EdrEvent>;
  prefilter: Prefilter<EdrEvent>;
}

/** Rules ready to evaluate, with the load report of every rule given. */
export class RuleSet {
  /** Every rule given, with status and reason (including those not `ok`). */
  readonly loaded: readonly LoadedRule[];
  /** The rules that will be evaluated. */
  readonly rules: readonly CompiledRule[];
  /** platform → kind → rules (nested maps: no key string to build per event). */
  readonly #index = new Map<string, Map<string, Bucket>>();

  constructor(loaded: readonly LoadedRule[]) {
    this.loaded = loaded;
    this.rules = loaded.flatMap((l) => (l.status === 'ok' && l.compiled ? [l.compiled] : []));
    const tables = new Map<EventKind, FieldTable<EdrEvent>>();
    const lists = new Map<string, Map<EventKind, Entry[]>>();
    for (const rule of this.rules) {
      for (const kind of rule.kinds) {
        let table = tables.get(kind);
        if (!table) tables.set(kind, (table = new FieldTable(eventResolver(kind))));
        const test = bindCached(rule.detection, table);
        for (const platform of rule.platforms) {
          let byKind = lists.get(platform);
          if (!byKind) lists.set(platform, (byKind = new Map()));
          let list = byKind.get(kind);
          if (!list) byKind.set(kind, (list = []));
          list.push({ rule, test });
        }
      }
    }
    // Caches are made once every rule is bound, so they are sized for all slots.
    for (const [platform, byKind] of lists) {
      const buckets = new Map<string, Bucket>();
      for (const [kind, entries] of byKind) {
        const table = tables.get(kind)!;
        const prefilter = new Prefilter(
          entries.map((e) => guardOf(e.rule.detection)),
          table,
        );
        buckets.set(kind, { entries, prefilter, cache: new FieldCache(table) });
      }
      this.#index.set(platform, buckets);
    }
  }

  /** Build from compiled rules directly. */
  static fromRules(rules: readonly CompiledRule[]): RuleSet {
    return new RuleSet(
      rules.map((compiled) => ({ path: '<memory>', index: 0, id: compiled.id, title: compiled.title, status: 'ok', reason: '', compiled, warnings: [] })),
    );
  }

  /** The kinds any rule needs: pass them to `openSensor({ kinds })`. */
  get kinds(): ObservableKind[] {
    return [...new Set(this.rules.flatMap((r) => r.kinds))];
  }

  /** How many rules would be evaluated on events of this platform and kind. */
  rulesFor(platform: string, kind: EventKind): number {
    return this.#index.get(platform)?.get(kind)?.entries.length ?? 0;
  }

  /** Every rule matching `event` (empty when none). */
  match(event: EdrEvent): CompiledRule[] {
    const bucket = this.#index.get(event.platform)?.get(event.kind);
    if (!bucket) return [];
    const { entries, cache, prefilter } = bucket;
    cache.reset(event);
    prefilter.mark(cache);
    const marks = prefilter.marks;
    const out: CompiledRule[] = [];
    for (let i = 0; i < entries.length; i++) {
      // Rules the prefilter did not mark cannot match this event.
      if (marks[i] === 0) continue;
      const { rule, test } = entries[i]!;
      if (rule.where && !rule.where(event)) continue;
      let hit = false;
      try {
        hit = test(cache);
      } catch {
        // An event shape a rule did not expect must never stop detection for others.
        hit = false;
      }
      if (hit) out.push(rule);
    }
    return out;
  }
}
