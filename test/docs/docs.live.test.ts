/**
 * The documentation's `run live` blocks, as root: each runs against the live sensor, gets a
 * reader's Ctrl-C (SIGINT) after 3 s if it has not ended by itself, and must exit 0 (a
 * block that ends on Ctrl-C must handle it, as the README promises).
 */
import { describe, expect, it } from 'vitest';
import { documentationBlocks } from './blocks.js';
import { runBlock, where } from './run-block.js';

const isRoot = process.getuid?.() === 0;
const live = documentationBlocks().filter((b) => b.live);

describe.skipIf(!isRoot)(`documentation blocks (live)${isRoot ? '' : ' — skipped: needs root for the live eBPF backend'}`, () => {
  for (const block of live) {
    it(`${where(block)} runs as written, live`, async () => {
      const run = await runBlock(block, { interruptAfterMs: 3000 });
      expect({ code: run.code, signal: run.signal, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, signal: null, stderr: '' });
      for (const text of block.stdout) expect(run.stdout).toContain(text);
    }, 60_000);
  }
});
