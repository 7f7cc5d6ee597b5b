/**
 * `@edrkit/sigma`: SigmaHQ rules, unchanged, compiled once to predicates over edrkit
 * events (live or recorded) or over plain field records.
 *
 * ```ts
 * const set = new RuleSet(await loadRules(['rules/linux']));
 * for await (const event of sensor) for (const rule of set.match(event)) alert(rule, event);
 * ```
 *
 * @packageDocumentation
 */
export { SigmaRuleError, type RuleStatus, type RuleProblem } from './errors.js';
export { parseRuleDocuments, mergeDocuments, type RuleDocument } from './collection.js';
export { validateRule, compileRule, LEVELS, type SigmaRule, type CompiledRule, type CompileOptions, type Level } from './rule.js';
export { loadRules, loadRulesFromText, readRuleFile, MAX_RULE_FILE_BYTES, type LoadedRule, type LoadRulesOptions } from './load.js';
export { RuleSet, type SigmaMatch } from './ruleset.js';
export { resolveLogSource, CATEGORY_KINDS, SYSMON_EVENT_IDS, type LogSource, type RuleTarget } from './logsource.js';
export { FIELD_DOCS, eventAccessor, type FieldRecord } from './fields.js';
export { parseCondition, type Condition } from './condition.js';
export { KNOWN_MODIFIERS, type ValueOptions } from './modifiers.js';
export type { Node } from './ir.js';
