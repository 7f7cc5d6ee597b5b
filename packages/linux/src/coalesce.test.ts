/**
 * In-kernel coalescing (backendOptions.coalesceMs) as user space sees it: the option's
 * checks, the folded count of a record surfacing as raw.linux.repeat, and the kernel's
 * counter in stats().backend.coalesced — all through the fake addon, no root needed. The
 * kernel half is tested live in test/linux/coalesce.live.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { OBSERVABLE_KINDS } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { FILE_OP } from './decode/layout.js';
import { batch, fileRecord } from './decode/record-builder.js';
import { decodeBatch } from './decode/records.js';
import { RecordConverter } from './events/to-events.js';
import { parseLinuxOptions } from './options.js';
import { ProcessCache } from './proc/process-cache.js';
import { fakeLinuxOs } from './testing/index.js';

const toMs = (ns: number) => 1_700_000_000_000 + ns / 1e6;
const h = { tsNs: 2e9, startNs: 1e9, pid: 50, tid: 50, ppid: 1, uid: 0, gid: 0, comm: 'sh' };

describe('coalescing of repeated opens', () => {
  it('checks coalesceMs: whole milliseconds, 0 to 60000', () => {
    expect(parseLinuxOptions({ coalesceMs: 250 })).toEqual({ coalesceMs: 250 });
    expect(() => parseLinuxOptions({ coalesceMs: -1 })).toThrow(/backendOptions\.coalesceMs/);
    expect(() => parseLinuxOptions({ coalesceMs: 1.5 })).toThrow(/whole number/);
    expect(() => parseLinuxOptions({ coalesceMs: 120_000 })).toThrow(/at most 60000/);
  });

  it('puts a record\'s folded count in raw.linux.repeat, and leaves raw alone without one', () => {
    const conv = new RecordConverter(new ProcessCache({ bootToEpochMs: toMs, readProc: false }), new Set(OBSERVABLE_KINDS), toMs);
    const p = { dentry: ['var', 'log', 'app.log'] };
    const { records } = decodeBatch(batch([fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o2001, path: p, repeat: 41 }), fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o2001, path: p })]));
    const [folded, plain] = records.flatMap((r) => conv.convert(r)).filter((e) => e.kind === 'file.modify');
    expect(folded).toMatchObject({ file: { path: '/var/log/app.log' }, raw: { linux: { repeat: 41 } } });
    expect(plain?.raw?.linux).not.toHaveProperty('repeat');
  });

  it('passes coalesceMs to the kernel config and reports the kernel counter, also after stop()', async () => {
    const os = fakeLinuxOs();
    const addon = os.addon;
    const backend = new LinuxEbpfBackend({ coalesceMs: 500 }, os);
    await backend.start({ kinds: ['file.modify'], filter: {}, signal: new AbortController().signal }, { push() {}, lost() {}, error() {}, warn() {}, ready: () => Promise.resolve(), end() {} });
    const s = addon.sensors[0]!;
    expect(s.options.coalesceMs).toBe(500);
    s.coalesced = 998;
    expect(backend.stats()['coalesced']).toBe(998);
    await backend.stop();
    expect(backend.stats()['coalesced']).toBe(998);
  });

  it('leaves coalescing off by default', async () => {
    const os = fakeLinuxOs();
    const addon = os.addon;
    const backend = new LinuxEbpfBackend({}, os);
    await backend.start({ kinds: ['file.modify'], filter: {}, signal: new AbortController().signal }, { push() {}, lost() {}, error() {}, warn() {}, ready: () => Promise.resolve(), end() {} });
    expect(addon.sensors[0]!.options).not.toHaveProperty('coalesceMs');
    expect(backend.stats()['coalesced']).toBe(0);
    await backend.stop();
  });
});
