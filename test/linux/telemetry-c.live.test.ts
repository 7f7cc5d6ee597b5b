/**
 * Live test of issue 14 part C (root): with `hashes` on, a file written by `sh -c 'printf …
 * > f'` and by python gives a `file.modify` at the writer's last close whose `file.hashes`
 * are those of the content written (the close-after-write signal of every written file).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from '@edrkit/linux';
import { liveSkipReason, ofKind, until } from './helpers.js';

const skip = liveSkipReason() ?? (existsSync('/usr/bin/python3') ? undefined : 'python3 missing');
const dir = skip ? '' : mkdtempSync('/tmp/edrkit-t14c-');
afterAll(() => void (dir && rmSync(dir, { recursive: true, force: true })));

const digest = (alg: 'md5' | 'sha256', s: string) => createHash(alg).update(s).digest('hex');

describe.skipIf(!!skip)(`linux-ebpf part C live${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('hashes files written by sh and python after the writer closes them', async () => {
    const sensor = await openSensor({ backend: new LinuxEbpfBackend(), kinds: ['file.create', 'file.modify'], filter: { paths: [`${dir}/`] }, hashes: { algorithms: ['md5', 'sha256'] } });
    const events: EdrEvent[] = [];
    const loop = (async () => {
      for await (const e of sensor) events.push(e);
    })();
    const shFile = `${dir}/by-sh.txt`;
    const pyFile = `${dir}/by-python.txt`;
    const shText = 'written by sh\nline two\n';
    const pyText = 'written by python ' + 'x'.repeat(5000);
    const atClose = (path: string) => ofKind(events, 'file.modify').filter((e) => e.file.path === path && (e.raw?.linux as { closeWrite?: string } | undefined)?.closeWrite);
    try {
      execFileSync('sh', ['-c', `printf 'written by sh\\nline two\\n' > ${shFile}`]);
      execFileSync('python3', ['-c', `f = open(${JSON.stringify(pyFile)}, "w"); f.write("written by python " + "x" * 5000); f.close()`]);
      await until(() => atClose(shFile).length > 0 && atClose(pyFile).length > 0, 5000);
    } finally {
      await sensor.close();
      await loop;
    }
    for (const [path, text] of [[shFile, shText], [pyFile, pyText]] as const) {
      const e = atClose(path)[0];
      expect(e, `file.modify at close of ${path}`).toBeDefined();
      expect(e?.file.hashes).toEqual({ md5: digest('md5', text), sha256: digest('sha256', text) });
      expect(e?.file.size).toBe(Buffer.byteLength(text));
      expect((e?.raw?.linux as { closeWrite?: string }).closeWrite).toBe('close');
    }
  }, 30_000);
});
