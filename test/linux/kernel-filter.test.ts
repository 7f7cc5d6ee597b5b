/**
 * Live tests of the path filters the linux-ebpf backend applies early: filter.exe prefixes
 * in the kernel (a per-process verdict decided at exec), filter.paths prefixes in user space
 * before conversion, and globs left to the sensor. As root they run; otherwise they skip.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent, type EventFilter } from '@edrkit/core';
import { LinuxEbpfBackend } from '@edrkit/linux';
import { liveSkipReason, until } from './helpers.js';

const skip = liveSkipReason();
const dir = skip ? '' : realpathSync(mkdtempSync('/tmp/edrkit-kfilter-'));
afterAll(() => void (dir && rmSync(dir, { recursive: true, force: true })));

const TOUCH = realpathSync('/usr/bin/touch');
const N = 1000;

/** Run `exe` to create N files in a new directory `sub`; resolves when it exited. */
async function touchMany(exe: string, sub: string): Promise<string> {
  const d = path.join(dir, sub);
  mkdirSync(d);
  const names = Array.from({ length: N }, (_, i) => `f${i}`);
  const child = spawn(exe, names, { cwd: d, stdio: 'inherit' });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(code).toBe(0);
  expect(readdirSync(d)).toHaveLength(N);
  return d;
}

async function open(filter: EventFilter) {
  const backend = new LinuxEbpfBackend();
  const sensor = await openSensor({ backend, kinds: ['file.create'], filter, maxQueue: 100_000 });
  const events: EdrEvent[] = [];
  const loop = (async () => {
    for await (const e of sensor) events.push(e);
  })();
  const under = (d: string) => events.filter((e) => e.kind === 'file.create' && e.file.path.startsWith(`${d}/`)).length;
  const close = async () => {
    await sensor.close();
    await loop;
  };
  return { backend, events, under, close };
}

const settle = () => new Promise((r) => setTimeout(r, 400));

describe.skipIf(!!skip)(`linux-ebpf early path filters${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('filter.exe prefix: a copied binary outside /usr/bin/ is dropped in the kernel; /usr/bin programs arrive', async () => {
    const copy = path.join(dir, 'touch-copy');
    copyFileSync(TOUCH, copy);
    const s = await open({ exe: [path.dirname(TOUCH) + '/'] });
    try {
      const before = s.backend.stats().received;
      const dropped = await touchMany(copy, 'by-copy');
      await settle();
      const afterCopy = s.backend.stats().received;
      const kept = await touchMany(TOUCH, 'by-usr-bin');
      expect(await until(() => s.under(kept) === N, 5000)).toBe(true);
      const afterUsr = s.backend.stats().received;
      expect(s.under(dropped)).toBe(0);
      // The copy's N creations never reached user space: only its exec record (and system noise) did.
      expect(afterCopy - before, 'records received while the copy created files').toBeLessThan(N / 4);
      expect(afterUsr - afterCopy).toBeGreaterThanOrEqual(N);
    } finally {
      await s.close();
    }
  });

  it('filter.exe glob: left to JS (the kernel passes the records, the sensor drops them)', async () => {
    const copy = path.join(dir, 'touch-copy2');
    copyFileSync(TOUCH, copy);
    const s = await open({ exe: [`${dir}/*`] });
    try {
      const before = s.backend.stats().received;
      const byUsr = await touchMany(TOUCH, 'glob-usr-bin');
      const byCopy = await touchMany(copy, 'glob-copy');
      expect(await until(() => s.under(byCopy) === N, 5000)).toBe(true);
      await settle();
      expect(s.under(byUsr)).toBe(0);
      expect(s.backend.stats().received - before, 'both programs reached user space').toBeGreaterThanOrEqual(2 * N);
    } finally {
      await s.close();
    }
  });

  it('filter.paths prefix: skipped before conversion (counted in pathFiltered); a glob still works through JS', async () => {
    const keepName = 'paths-keep';
    const s = await open({ paths: [`${dir}/${keepName}/`] });
    try {
      const other = await touchMany(TOUCH, 'paths-other');
      const keep = await touchMany(TOUCH, keepName);
      expect(await until(() => s.under(keep) === N, 5000)).toBe(true);
      await settle();
      expect(s.under(other)).toBe(0);
      expect(s.backend.stats().pathFiltered).toBeGreaterThanOrEqual(N);
    } finally {
      await s.close();
    }
    const g = await open({ paths: [`${dir}/glob-keep/f1*`] });
    try {
      const keep = await touchMany(TOUCH, 'glob-keep');
      // f1, f10..f19, f100..f199: 111 files
      expect(await until(() => g.under(keep) === 111, 5000)).toBe(true);
      await settle();
      expect(g.under(keep)).toBe(111);
      expect(g.backend.stats().pathFiltered).toBe(0);
    } finally {
      await g.close();
    }
  });
});
