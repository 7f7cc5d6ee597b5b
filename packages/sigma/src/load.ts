/**
 * Loading rules from text, files and directories. Loading never fails as a whole:
 * every rule comes back as a {@link LoadedRule} with its status and, unless `ok`, the
 * reason — one bad rule never stops a rule set.
 *
 * @module
 */
import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { InvalidArgumentError } from '@edrkit/core';
import { decodeUtf8 } from '@edrkit/core/internal';
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

/** Largest rule file read by default (bytes): a 100k-value rule is about 6 MB. */
export const MAX_RULE_FILE_BYTES = 8 * 1024 * 1024;

/** Options of {@link loadRules}. */
export interface LoadRulesOptions extends CompileOptions {
  /** Largest rule file read, in bytes (default {@link MAX_RULE_FILE_BYTES}); a larger one is `invalid`. */
  maxFileBytes?: number;
  /** Stop loading (rejecting with the signal's reason) when aborted; checked between files. */
  signal?: AbortSignal;
}

function fileKind(st: { isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean; isDirectory(): boolean }): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * Read one rule file as UTF-8 text, or say why not. Opened non-blocking and checked with
 * fstat on the open descriptor (so a symlink is judged by what it points to, and nothing
 * can be swapped in between): a FIFO named `x.yml` would otherwise block for ever, and
 * `/dev/zero` never ends. The size is checked before reading and again while reading
 * (the file may grow).
 */
export async function readRuleFile(file: string, maxBytes: number = MAX_RULE_FILE_BYTES): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
  let fh;
  try {
    fh = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, reason: `cannot read: ${(err as Error).message}` };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { ok: false, reason: `cannot read: ${fileKind(st)}, not a regular file` };
    if (st.size > maxBytes) return { ok: false, reason: `file is larger than ${maxBytes} bytes (${st.size} bytes); split it or raise maxFileBytes` };
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, length, buf.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      // The buffer has one byte more than fstat said: filling it means the file grew.
      if (length === buf.length) {
        return { ok: false, reason: length > maxBytes ? `file is larger than ${maxBytes} bytes (it grew while being read)` : 'file grew while being read; load it again' };
      }
    }
    const bytes = buf.subarray(0, length);
    const text = decodeUtf8(bytes);
    if (!text.ok) {
      const line = bytes.subarray(0, text.offset).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
      return { ok: false, reason: `not UTF-8: invalid byte 0x${bytes[text.offset]!.toString(16).padStart(2, '0')} at byte ${text.offset + 1} (line ${line})` };
    }
    return { ok: true, text: text.text };
  } catch (err) {
    return { ok: false, reason: `cannot read: ${(err as Error).message}` };
  } finally {
    await fh.close();
  }
}

/**
 * Load rules from files and directories (recursively, `.yml`/`.yaml`). A path that does
 * not exist throws {@link InvalidArgumentError}; a file that cannot be read (not a regular
 * file, too large, not UTF-8) or parsed becomes an `invalid` entry. Between files the
 * event loop gets a turn, so a signal handler (Ctrl-C) runs at once.
 */
export async function loadRules(paths: readonly string[], options: LoadRulesOptions = {}): Promise<LoadedRule[]> {
  const { maxFileBytes, signal, ...compile } = options;
  const files: string[] = [];
  for (const p of paths) {
    signal?.throwIfAborted();
    try {
      await listRuleFiles(p, files);
    } catch (err) {
      throw new InvalidArgumentError(`cannot read rules from '${p}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
  }
  const out: LoadedRule[] = [];
  for (const file of files) {
    await yieldToEventLoop();
    signal?.throwIfAborted();
    const read = await readRuleFile(file, maxFileBytes);
    if (!read.ok) {
      out.push({ path: file, index: 0, id: undefined, title: undefined, status: 'invalid', reason: read.reason, warnings: [] });
      continue;
    }
    out.push(...loadRulesFromText(read.text, { ...compile, path: file }));
  }
  return out;
}
