/**
 * Live: in-kernel coalescing (backendOptions.coalesceMs, native/linux/coalesce.bpf.h). A
 * process opens one file for writing 1001 times: the creation is reported, repeats inside
 * the window are folded and counted, and the open after the window carries their count in
 * raw.linux.repeat. Nothing is lost: events + folded opens = opens made. Skips unprivileged.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LinuxEbpfBackend } from '@edrkit/linux';
import { collectingSink, liveSkipReason, until } from './helpers.js';

const skip = liveSkipReason();
const dir = skip ? '' : realpathSync(mkdtempSync('/tmp/edrkit-coalesce-'));
afterAll(() => void (dir && rmSync(dir, { recursive: true, force: true })));

const OPENS = 1000;
const WINDOW_MS = 1000;

describe.skipIf(skip)(`linux-ebpf coalescing (live)${skip ? ` — skipped: ${skip}` : ''}`, () => {
  it('folds repeated opens of one file by one process into counted repeats, never drops', async () => {
    const file = path.join(dir, 'app.log');
    // Opens in a burst (well inside the window), then one more after the window has passed.
    const script = [
      'import os,sys,time',
      'p=sys.argv[1]; sys.stdin.readline()',
      `for i in range(${OPENS}): os.close(os.open(p, os.O_WRONLY|os.O_CREAT|os.O_APPEND, 0o600))`,
      `time.sleep(${(WINDOW_MS * 1.5) / 1000})`,
      'os.close(os.open(p, os.O_WRONLY|os.O_APPEND))',
      'print("done", flush=True)',
    ].join('\n');
    const child = spawn('/usr/bin/python3', ['-c', script, file], { stdio: ['pipe', 'pipe', 'inherit'] });
    const c = collectingSink();
    const backend = new LinuxEbpfBackend({ coalesceMs: WINDOW_MS });
    await backend.start({ kinds: ['file.create', 'file.modify'], filter: { pids: [child.pid!] }, signal: new AbortController().signal }, c.sink);
    try {
      const done = new Promise<void>((r) => child.stdout.on('data', (d: Buffer) => d.toString().includes('done') && r()));
      child.stdin.write('go\n');
      await done;
      const mine = () => c.events.filter((e) => (e.kind === 'file.create' || e.kind === 'file.modify') && e.file.path === file);
      const folded = () => backend.stats()['coalesced'] ?? 0;
      const repeats = () => mine().reduce((n, e) => n + Number((e.raw?.linux as { repeat?: number } | undefined)?.repeat ?? 0), 0);
      // Every open is an event or folded; the last open's event carries what was folded before it.
      expect(await until(() => mine().length + folded() === OPENS + 1 && repeats() === folded(), 5000)).toBe(true);
      expect(mine()[0]?.kind).toBe('file.create'); // creations are never folded
      expect(folded()).toBeGreaterThan(OPENS / 2);
      expect(mine().length).toBeLessThan(OPENS / 2);
      expect(c.lostTotal()).toBe(0);
    } finally {
      await backend.stop();
      child.kill();
    }
  });
});
