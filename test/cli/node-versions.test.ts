// The CLI's key paths on every Node major that `engines` accepts (20, 22, 24): usage errors,
// a closed output pipe, and (as root) a live watch stopped by --duration and by SIGTERM.
// A major whose binary is absent skips with the reason and how to fetch it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edrkit, parseStats, startEdrkit, until } from './cli-helpers.js';
import { nodeBinaries } from './node-versions.js';

const isRoot = process.getuid?.() === 0;
const recording = join(mkdtempSync(join(tmpdir(), 'edrkit-node-versions-')), 'rec.jsonl');
writeFileSync(
  recording,
  Array.from({ length: 5000 }, (_, i) =>
    JSON.stringify({ kind: 'process.exec', time: 1_750_000_000_000 + i, seq: i + 1, platform: 'linux', source: 'linux-ebpf', process: { pid: 10 + i, ppid: 1, exe: '/bin/sh', args: ['sh'], cmdline: 'sh' } }),
  ).join('\n') + '\n',
);

for (const node of nodeBinaries()) {
  const title = `the CLI on Node ${node.major}${node.skip ? ` — skipped: ${node.skip}` : ` (${node.version})`}`;
  describe.skipIf(node.skip !== undefined)(title, () => {
    const bin = node.path as string;

    it('usage errors exit 2 before anything is opened', async () => {
      expect((await edrkit([], { node: bin })).code).toBe(2);
      const r = await edrkit(['watch', '--duration', 'abc'], { node: bin, timeoutMs: 20_000 });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain("--duration: 'abc' is not a positive number of seconds");
    });

    it('replay | head -1 stops quietly (exit 0) with stats that add up', async () => {
      const cli = startEdrkit(['replay', recording, '--format', 'json'], { node: bin });
      cli.child.stdout?.once('data', () => cli.child.stdout?.destroy());
      const r = await cli.done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/EPIPE/);
      const s = parseStats(r.stderr);
      expect(s.filtered + s.delivered + s.queue + s.unsent).toBe(s.received);
    });

    it.skipIf(!isRoot)(`live watch: --duration and SIGTERM exit 0 with the stats line${isRoot ? '' : ' — skipped: needs root'}`, async () => {
      const timed = await edrkit(['watch', '--format', 'json', '--kinds', 'process.*', '--duration', '1'], { node: bin, timeoutMs: 20_000 });
      expect(timed.code, timed.stderr).toBe(0);
      parseStats(timed.stderr);
      const cli = startEdrkit(['watch', '--format', 'json', '--kinds', 'process.*'], { node: bin });
      // Attached once the stats would show events; a short wait is enough, the check is the exit.
      await until(() => cli.stdout().length > 0, 3000);
      cli.child.kill('SIGTERM');
      const r = await cli.done;
      expect(r.code, r.stderr).toBe(0);
      parseStats(r.stderr);
    }, 30_000);
  });
}
