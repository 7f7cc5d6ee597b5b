/**
 * The documentation's `run` blocks that need no kernel (replays, recordings, the CLI over
 * files) run as written; every marked block, live ones included, parses under the Node the
 * blocks run with. See blocks.ts for the convention.
 */
import { describe, expect, it } from 'vitest';
import { documentationBlocks, extractBlocks } from './blocks.js';
import { docsNodeVersion, runBlock, syntaxCheck, where } from './run-block.js';

const blocks = documentationBlocks();

describe('documentation blocks', () => {
  it('finds the marked blocks, and rejects a marked block of an unknown language', () => {
    expect(blocks.some((b) => b.file === 'README.md' && b.live)).toBe(true);
    expect(blocks.some((b) => !b.live)).toBe(true);
    expect(extractBlocks('a\n```ts run live stdout=x\nconst a = 1;\n```\n```ts\nnot run\n```\n', 'x.md')).toEqual([
      { file: 'x.md', line: 2, lang: 'ts', live: true, stdout: ['x'], code: 'const a = 1;\n' },
    ]);
    expect(() => extractBlocks('````py run\nprint(1)\n````\n', 'y.md')).toThrow(/y\.md:1: a 'run' block must be ts or sh/);
    expect(extractBlocks('```` ```ts run ```` is inline code\n', 'z.md')).toEqual([]);
  });

  it('the syntax check catches what the Node running the blocks cannot parse', async () => {
    // `await using` parses from Node 24 on (what the README says); before it the check must fail.
    const [block] = extractBlocks('```ts run\nawait using x = { async [Symbol.asyncDispose]() {} };\n```\n', 'probe.md');
    const major = Number(docsNodeVersion.split('.')[0]);
    const error = await syntaxCheck(block!);
    if (major < 24) expect(error).toMatch(/SyntaxError/);
    else expect(error).toBe('');
  });

  for (const block of blocks.filter((b) => b.lang === 'ts')) {
    it(`${where(block)} parses on Node ${docsNodeVersion}`, async () => {
      expect(await syntaxCheck(block)).toBe('');
    });
  }

  for (const block of blocks.filter((b) => !b.live)) {
    it(`${where(block)} runs as written`, async () => {
      const run = await runBlock(block);
      expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
      for (const text of block.stdout) expect(run.stdout).toContain(text);
    });
  }
});
