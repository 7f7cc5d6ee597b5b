/**
 * Loading rules from text, files and directories. Loading never fails as a whole:
 * every rule comes back as a {@link LoadedRule} with its status and, unless `ok`, the
 * reason — one bad rule never stops a rule set.
 *
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '@edrkit/core';
import { parseRuleDocuments } from './collection.js';
import { SigmaRuleError, type RuleStatus } from './errors.js';
import { compileRule, validateRule, type CompileOptions, type CompiledRule } from './rule.js';

/** One rule (one YAML document) and what the engine made of it. */
export interface LoadedRule {
  /** File the rule came from (or the name given for text input). */
  path: string;
  /** 0-based document index inside the file (collections hold several). */
  index: number;
  id: string | undefined;
  title: string | undefined;
  status: RuleStatus;
  /** Why the rule is not `ok` (empty for `ok`). */
  reason: string;
  /** The compiled rule, when `status` is `ok`. */
  compiled?: CompiledRule;
  /** Non-fatal notes (e.g. fields read only from raw extras). */
  warnings: string[];
}

function peek(doc: unknown, key: string): string | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const v = (doc as Record<string, unknown>)[key];
  return typeof v === 'string' ? v : undefined;
}

/** Load every rule in a YAML text (one rule or a collection). */
export function loadRulesFromText(text: string, options: CompileOptions & { path?: string } = {}): LoadedRule[] {
  const file = options.path ?? '<text>';
  return parseRuleDocuments(text).map((d): LoadedRule => {
    if (!d.ok) return { path: file, index: d.index, id: undefined, title: undefined, status: 'invalid', reason: d.reason, warnings: [] };
    const id = peek(d.doc, 'id');
    const title = peek(d.doc, 'title');
    try {
      const compiled = compileRule(validateRule(d.doc), options);
      const warnings = compiled.rawOnlyFields.length
        ? [`fields not in the edrkit model, read from raw.<platform> only: ${compiled.rawOnlyFields.join(', ')}`]
        : [];
      return { path: file, index: d.index, id, title, status: 'ok', reason: '', compiled, warnings };
    } catch (err) {
      if (err instanceof SigmaRuleError) return { path: file, index: d.index, id, title, status: err.status, reason: err.message, warnings: [] };
      // A bug in the engine must not take the rule set down either; report it on the rule.
      return { path: file, index: d.index, id, title, status: 'invalid', reason: `internal error: ${(err as Error).message}`, warnings: [] };
    }
  });
}

const RULE_EXT = /\.ya?ml$/i;

async function listRuleFiles(p: string, out: string[]): Promise<void> {
  const st = await stat(p);
  if (st.isDirectory()) {
    const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const child = path.join(p, e.name);
      if (e.isDirectory()) await listRuleFiles(child, out);
      else if (RULE_EXT.test(e.name)) out.push(child);
    }
  } else out.push(p);
}

/**
 * Load rules from files and directories (recursively, `.yml`/`.yaml`). A path that does
 * not exist throws {@link InvalidArgumentError}; a file that cannot be parsed becomes an
 * `invalid` entry.
 */
export async function loadRules(paths: readonly string[], options: CompileOptions = {}): Promise<LoadedRule[]> {
  const files: string[] = [];
  for (const p of paths) {
    try {
      await listRuleFiles(p, files);
    } catch (err) {
      throw new InvalidArgumentError(`cannot read rules from '${p}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
  }
  const out: LoadedRule[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      out.push({ path: file, index: 0, id: undefined, title: undefined, status: 'invalid', reason: `cannot read: ${(err as Error).message}`, warnings: [] });
      continue;
    }
    out.push(...loadRulesFromText(text, { ...options, path: file }));
  }
  return out;
}
