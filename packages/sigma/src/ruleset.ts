/**
 * A set of compiled rules indexed by platform and kind, so an event is only checked
 * against the rules whose log source covers it.
 *
 * @module
 */
import type { EdrEvent, EventKind, ObservableKind } from '@edrkit/core';
import type { LoadedRule } from './load.js';
import { eventResolver } from './fields.js';
import { bind } from './ir.js';
import type { CompiledRule } from './rule.js';

/** A rule that matched an event. */
export interface SigmaMatch {
  rule: CompiledRule;
  event: EdrEvent;
}

interface Entry {
  rule: CompiledRule;
  test: (e: EdrEvent) => boolean;
}

/** Rules ready to evaluate, with the load report of every rule given. */
export class RuleSet {
  /** Every rule given, with status and reason (including those not `ok`). */
  readonly loaded: readonly LoadedRule[];
  /** The rules that will be evaluated. */
  readonly rules: readonly CompiledRule[];
  readonly #index = new Map<string, Entry[]>();

  constructor(loaded: readonly LoadedRule[]) {
    this.loaded = loaded;
    this.rules = loaded.flatMap((l) => (l.status === 'ok' && l.compiled ? [l.compiled] : []));
    for (const rule of this.rules) {
      for (const kind of rule.kinds) {
        const test = bind(rule.detection, eventResolver(kind));
        for (const platform of rule.platforms) {
          const key = `${platform}\0${kind}`;
          let list = this.#index.get(key);
          if (!list) this.#index.set(key, (list = []));
          list.push({ rule, test });
        }
      }
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
    return this.#index.get(`${platform}\0${kind}`)?.length ?? 0;
  }

  /** Every rule matching `event` (empty when none). */
  match(event: EdrEvent): CompiledRule[] {
    const list = this.#index.get(`${event.platform}\0${event.kind}`);
    if (!list) return [];
    const out: CompiledRule[] = [];
    for (const { rule, test } of list) {
      let hit = false;
      try {
        hit = test(event);
      } catch {
        // An event shape a rule did not expect must never stop detection for others.
        hit = false;
      }
      if (hit) out.push(rule);
    }
    return out;
  }
}
