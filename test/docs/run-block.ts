/**
 * Runs one documentation block the way a reader would: TypeScript through tsx against the
 * sources, shell through `sh -e`, both from the repository root. Before a TypeScript block
 * runs, its JavaScript (types stripped, syntax left as written) must parse under plain Node:
 * tsx lowers new syntax such as `await using`, which would hide a SyntaxError a reader on
 * an older supported Node meets.
 *
 * `EDRKIT_DOCS_NODE` names the Node binary to run the blocks with (default: the one running
 * the tests); run the suite once per Node version that `engines` accepts to cover them all.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot, type DocBlock } from './blocks.js';

/** The Node binary blocks run with. */
export const docsNode = process.env['EDRKIT_DOCS_NODE'] || process.execPath;

/** The version of {@link docsNode}, e.g. `22.23.5`. */
export const docsNodeVersion = docsNode === process.execPath ? process.versions.node : execFileSync(docsNode, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');

/** What a block did. */
export interface BlockRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the block was still running at `interruptAfterMs` and got SIGINT (Ctrl-C). */
  readonly interrupted: boolean;
}

export interface RunOptions {
  /** Send SIGINT (a reader's Ctrl-C) when still running after this long. */
  interruptAfterMs?: number;
  /** Kill (and fail) after this long. */
  timeoutMs?: number;
}

// Outside test/ so the type check never sees the extracted files; git-ignored.
const scratch = path.join(repoRoot, '.docs-run');

function slug(block: DocBlock): string {
  return `${block.file.replace(/[^a-z0-9]+/gi, '-')}-${block.line}`;
}

function exec(cmd: string, args: string[], options: RunOptions = {}): Promise<BlockRun> {
  const { interruptAfterMs, timeoutMs = 45_000 } = options;
  return new Promise((resolve, reject) => {
    const nodeDir = path.dirname(docsNode);
    const child = spawn(cmd, args, {
      cwd: repoRoot,
      env: { ...process.env, PATH: `${nodeDir}${path.delimiter}${process.env['PATH'] ?? ''}`, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timers = [
      interruptAfterMs === undefined ? undefined : setTimeout(() => ((interrupted = true), child.kill('SIGINT')), interruptAfterMs),
      setTimeout(() => child.kill('SIGKILL'), timeoutMs),
    ];
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      resolve({ code, signal, stdout, stderr, interrupted });
    });
  });
}

/**
 * Check that the block's JavaScript parses under {@link docsNode}; returns the parse error
 * output (empty when it parses).
 */
export async function syntaxCheck(block: DocBlock): Promise<string> {
  const js = ts.transpileModule(block.code, {
    compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false },
    fileName: `${slug(block)}.ts`,
  }).outputText;
  mkdirSync(scratch, { recursive: true });
  const file = path.join(scratch, `${slug(block)}.mjs`);
  writeFileSync(file, js);
  const run = await exec(docsNode, ['--check', file]);
  return run.code === 0 ? '' : run.stderr;
}

/** Run the block (TypeScript through tsx on the sources, shell through `sh -e`). */
export async function runBlock(block: DocBlock, options: RunOptions = {}): Promise<BlockRun> {
  if (block.lang === 'sh') return exec('sh', ['-e', '-c', block.code], options);
  mkdirSync(scratch, { recursive: true });
  const file = path.join(scratch, `${slug(block)}.ts`);
  writeFileSync(file, block.code);
  return exec(docsNode, ['--conditions=@edrkit/source', '--import', 'tsx', file], options);
}

/** Where a block is, for test names and failure messages. */
export function where(block: DocBlock): string {
  return `${block.file}:${block.line}`;
}
