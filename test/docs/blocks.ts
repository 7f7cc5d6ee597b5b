/**
 * Executable documentation: the fenced code blocks of README.md, packages/*\/README.md and
 * docs/*.md whose info string carries `run` are extracted here and run by docs.test.ts
 * (and docs.live.test.ts for `run live`). The convention is documented in README.md (Development).
 *
 *   ```ts run            runs anywhere (a replay, a recording): TypeScript, as a user would run it
 *   ```ts run live       needs the live sensor: runs as root, skipped with a reason otherwise
 *   ```sh run            a shell session, run with `sh -e` from the repository root
 *   ```ts run live stdout=delivered    also expect this text on stdout
 *
 * Blocks without `run` (fragments, setup commands, output samples) are never executed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One runnable fenced block. */
export interface DocBlock {
  /** Repository-relative Markdown file. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: 'ts' | 'sh';
  readonly live: boolean;
  /** Substrings expected on stdout (`stdout=TEXT`, repeatable). */
  readonly stdout: readonly string[];
  readonly code: string;
}

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The Markdown files whose blocks are documentation a user runs. */
export function documentationFiles(root = repoRoot): string[] {
  const packages = readdirSync(path.join(root, 'packages')).map((p) => `packages/${p}/README.md`);
  const docs = readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
  return ['README.md', ...packages, ...docs, 'examples/recordings/README.md'].filter((f) => {
    try {
      readFileSync(path.join(root, f));
      return true;
    } catch {
      return false;
    }
  });
}

const LANGS: Record<string, DocBlock['lang']> = { ts: 'ts', typescript: 'ts', sh: 'sh', bash: 'sh', shell: 'sh' };

/**
 * The `run` blocks of one Markdown text. A CommonMark fence is three or more backticks at
 * the start of a line (up to three spaces of indent), closed by a fence at least as long;
 * docs here use no tildes or nested fences, and a marked block of another language is an
 * error rather than silently ignored.
 */
export function extractBlocks(markdown: string, file: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    // A backtick fence's info string has no backtick (CommonMark), so ```` ```x ```` inline code is no fence.
    const open = /^ {0,3}(`{3,})([^`]*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const fence = open[1] as string;
    const words = (open[2] ?? '').trim().split(/\s+/).filter(Boolean);
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !new RegExp(`^ {0,3}${fence}\`*\\s*$`).test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    if (!words.slice(1).includes('run')) continue;
    const lang = LANGS[words[0] ?? ''];
    if (!lang) throw new Error(`${file}:${start + 1}: a 'run' block must be ts or sh, not '${words[0] ?? ''}'`);
    const stdout = words.filter((w) => w.startsWith('stdout=')).map((w) => w.slice('stdout='.length));
    blocks.push({ file, line: start + 1, lang, live: words.includes('live'), stdout, code: body.join('\n') + '\n' });
  }
  return blocks;
}

/** Every runnable block of the documentation. */
export function documentationBlocks(root = repoRoot): DocBlock[] {
  return documentationFiles(root).flatMap((f) => extractBlocks(readFileSync(path.join(root, f), 'utf8'), f));
}
