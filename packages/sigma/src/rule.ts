/**
 * A Sigma rule: structural validation of the parsed YAML (as the detection-rule JSON
 * schema requires) and compilation to a {@link CompiledRule} whose predicates are built
 * once, per event kind it applies to.
 *
 * @module
 */
import type { EdrEvent, EventKind, ObservableKind, Platform } from '@edrkit/core';
import { compileDetection } from './detection.js';
import { invalid, unsupported } from './errors.js';
import { eventResolver, isModelField, recordResolver, type FieldRecord } from './fields.js';
import { bind, fieldsOf, type Node } from './ir.js';
import { resolveLogSource, type LogSource } from './logsource.js';
import type { ValueOptions } from './modifiers.js';

/** Severity levels of the specification. */
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
/** A rule's `level`. */
export type Level = (typeof LEVELS)[number];

/** The parts of a Sigma rule the engine uses (other keys are kept in `document`). */
export interface SigmaRule {
  title: string;
  id?: string;
  name?: string;
  status?: string;
  description?: string;
  author?: string;
  level?: Level;
  tags: string[];
  references?: string[];
  falsepositives?: string[];
  logsource: LogSource;
  detection: Record<string, unknown>;
  /** The whole YAML document as parsed. */
  document: Record<string, unknown>;
}

/** Options for {@link compileRule}. */
export type CompileOptions = ValueOptions;

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function optionalString(doc: Record<string, unknown>, key: string): string | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(key, `must be a string, not ${Array.isArray(v) ? 'a list' : typeof v}`);
  return v;
}

function stringList(doc: Record<string, unknown>, key: string): string[] | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw invalid(key, 'must be a list');
  return v.map((x, i) => {
    if (typeof x !== 'string' && typeof x !== 'number') throw invalid(`${key}[${i}]`, 'must be a string');
    return String(x);
  });
}

/**
 * Check a parsed YAML document against the rule format and return it typed. Throws an
 * `invalid` {@link SigmaRuleError} naming the key at fault; correlation and filter
 * documents are `unsupported`.
 */
export function validateRule(doc: unknown): SigmaRule {
  if (!isMap(doc)) throw invalid(undefined, `a rule must be a YAML map, not ${Array.isArray(doc) ? 'a list' : doc === null ? 'empty' : typeof doc}`);
  if ('correlation' in doc) throw unsupported('correlation', 'correlation rules (event_count, temporal, …) are not supported by this engine yet');
  if ('filter' in doc && !('detection' in doc)) throw unsupported('filter', 'Sigma filter documents (meta filters) are not supported by this engine yet');
  const title = doc['title'];
  if (typeof title !== 'string' || title.trim() === '') throw invalid('title', 'missing; every rule needs a title');
  if (title.length > 256) throw invalid('title', 'longer than 256 characters');
  const id = doc['id'];
  if (id !== undefined && typeof id !== 'string') throw invalid('id', 'must be a string (a UUID)');
  const logsource = doc['logsource'];
  if (!isMap(logsource)) throw invalid('logsource', 'missing or not a map; every rule needs a logsource');
  for (const key of ['category', 'product', 'service']) {
    const v = logsource[key];
    if (v !== undefined && v !== null && typeof v !== 'string') throw invalid(`logsource.${key}`, 'must be a string');
  }
  const detection = doc['detection'];
  if (!isMap(detection)) throw invalid('detection', 'missing or not a map; every rule needs a detection');
  if (!('condition' in detection)) throw invalid('detection.condition', 'missing; every rule needs a condition');
  const level = optionalString(doc, 'level');
  if (level !== undefined && !(LEVELS as readonly string[]).includes(level)) {
    throw invalid('level', `'${level}' is not one of ${LEVELS.join(', ')}`);
  }
  const author = doc['author'];
  return {
    title,
    ...(id !== undefined ? { id } : {}),
    ...(optionalString(doc, 'name') !== undefined ? { name: optionalString(doc, 'name')! } : {}),
    ...(optionalString(doc, 'status') !== undefined ? { status: optionalString(doc, 'status')! } : {}),
    ...(typeof doc['description'] === 'string' ? { description: doc['description'] } : {}),
    ...(typeof author === 'string' ? { author } : {}),
    ...(level !== undefined ? { level: level as Level } : {}),
    tags: stringList(doc, 'tags') ?? [],
    ...(Array.isArray(doc['references']) ? { references: doc['references'].map(String) } : {}),
    ...(Array.isArray(doc['falsepositives']) ? { falsepositives: doc['falsepositives'].map(String) } : {}),
    logsource: logsource as LogSource,
    detection,
    document: doc,
  };
}

/** A rule compiled to predicates: evaluate it with {@link CompiledRule.matchEvent}. */
export interface CompiledRule {
  readonly rule: SigmaRule;
  readonly id: string | undefined;
  readonly title: string;
  readonly level: Level | undefined;
  readonly tags: readonly string[];
  /** The edrkit kinds this rule is evaluated on. */
  readonly kinds: readonly ObservableKind[];
  /** The platforms whose events this rule is evaluated on. */
  readonly platforms: readonly Platform[];
  /** When the log source covers only some events of the kinds (create_remote_thread, ps_script): which. */
  readonly where?: (event: EdrEvent) => boolean;
  /** Sigma fields the rule reads that the edrkit model lacks for its kinds (read from `raw.<platform>` only). */
  readonly rawOnlyFields: readonly string[];
  /** The compiled detection tree. */
  readonly detection: Node;
  /** True when the event is of one of the rule's kinds and platforms and the detection matches. */
  matchEvent(event: EdrEvent): boolean;
  /** Evaluate against a plain record keyed by Sigma field names (e.g. Sysmon `EventData`), ignoring the log source. */
  matchRecord(record: FieldRecord): boolean;
}

/**
 * Compile a validated rule. Throws a {@link SigmaRuleError} (`invalid`, `unsupported` or
 * `not-applicable`) with a precise reason when it cannot run.
 */
export function compileRule(rule: SigmaRule, options: CompileOptions = {}): CompiledRule {
  if (rule.status === 'unsupported') throw unsupported('status', "the rule itself declares status 'unsupported'");
  const detection = compileDetection(rule.detection, options);
  const target = resolveLogSource(rule.logsource);
  const byKind = new Map<EventKind, (e: EdrEvent) => boolean>();
  for (const kind of target.kinds) byKind.set(kind, bind(detection, eventResolver(kind)));
  let onRecord: ((r: FieldRecord) => boolean) | undefined;
  const platforms = new Set<string>(target.platforms);
  const fields = [...fieldsOf(detection)];
  const rawOnlyFields = fields.filter((f) => !target.kinds.some((k) => isModelField(f, k)));
  return {
    rule,
    id: rule.id,
    title: rule.title,
    level: rule.level,
    tags: rule.tags,
    kinds: target.kinds,
    platforms: target.platforms,
    ...(target.where ? { where: target.where } : {}),
    rawOnlyFields,
    detection,
    matchEvent(event) {
      const pred = byKind.get(event.kind);
      return pred !== undefined && platforms.has(event.platform) && (target.where?.(event) ?? true) && pred(event);
    },
    matchRecord(record) {
      onRecord ??= bind(detection, recordResolver);
      return onRecord(record);
    },
  };
}

/** Kinds-only helper: the predicate of a compiled rule for one kind, without the kind/platform check. */
export function predicateFor(rule: CompiledRule, kind: EventKind): ((e: EdrEvent) => boolean) | undefined {
  if (!rule.kinds.includes(kind as ObservableKind)) return undefined;
  return bind(rule.detection, eventResolver(kind));
}
