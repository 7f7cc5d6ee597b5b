// Hashes of files written (issue 14c), without root: `hashes` on asks the kernel for the
// close-after-write of every written file, and that record becomes a file.modify at close
// that the hashing stage hashes (the file's content when it was closed).
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { CW_REASON, FILE_OP, SIGNAL_BIT } from './decode/layout.js';
import { execRecord, fakeLinuxOs, fileRecord } from './testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'edrkit-cw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('linux-ebpf close-after-write of files written (fake addon)', () => {
  it('asks for it only when hashes are on and a file kind is wanted', async () => {
    for (const [hashes, kinds, on] of [
      [true, ['file.modify'], true],
      [true, ['file.create'], true],
      [false, ['file.modify'], false],
      [true, ['process.exec'], false],
    ] as const) {
      const os = fakeLinuxOs();
      const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: [...kinds], ...(hashes ? { hashes: {} } : {}) });
      const o = os.addon.current.options;
      expect((o.kinds & SIGNAL_BIT.CLOSE_WRITE_ALL) !== 0, `${String(hashes)} ${kinds.join()}`).toBe(on);
      expect(o.disable.includes('edrkit_cw_')).toBe(!on);
      await sensor.close();
    }
  });

  it('a close-after-write record gives file.modify with the hashes of the closed file', async () => {
    const file = join(dir, 'written.txt');
    writeFileSync(file, 'content at close\n');
    const os = fakeLinuxOs();
    const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['file.modify'], hashes: { algorithms: ['sha256'] } });
    const seen: EdrEvent[] = [];
    sensor.on('file.modify', (e) => seen.push(e));
    const h = { pid: 5_000_050, ppid: 1, tsNs: 1e9, comm: 'sh' };
    os.addon.emit([execRecord(h, { exe: { raw: '/usr/bin/sh' } }), fileRecord(h, { op: FILE_OP.CLOSE_WRITE, ret: CW_REASON.EXIT, path: { raw: file } })]);
    await sensor.close();
    expect(seen).toHaveLength(1);
    const e = seen[0]!;
    expect(e.kind === 'file.modify' && e.file).toMatchObject({ path: file, size: 17, hashes: { sha256: createHash('sha256').update('content at close\n').digest('hex') } });
    expect(e.raw?.linux).toMatchObject({ closeWrite: 'exit' });
  });
});
