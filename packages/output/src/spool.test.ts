import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Spool } from './spool.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'edrkit-spool-unit-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const recs = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ subject: 's.h.k', payload: JSON.stringify({ n: from + i, pad: 'x'.repeat(40) }) }));

describe('Spool', () => {
  it('hands out records in order, once, and resumes from the committed offset after a reopen', async () => {
    const dir = tempDir();
    let spool = await Spool.open({ dir, fsync: 'os' });
    expect(await spool.append(recs(5))).toEqual([1, 2, 3, 4, 5]);
    const first = await spool.take(3);
    expect(first.records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(JSON.parse(first.records[0]!.payload)).toMatchObject({ n: 0 });
    expect((await spool.take(10)).records.map((r) => r.seq)).toEqual([4, 5]);
    await spool.commit(2);
    await spool.close();
    spool = await Spool.open({ dir, fsync: 'os' });
    expect(spool.pending).toBe(3);
    expect((await spool.take(10)).records.map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(await spool.append(recs(1))).toEqual([6]); // sequences never repeat across restarts
    await spool.close();
  });

  it('cuts a torn last record (a crash mid-write) on open', async () => {
    const dir = tempDir();
    const spool = await Spool.open({ dir });
    await spool.append(recs(2));
    await spool.close();
    const seg = readdirSync(dir).find((n) => n.endsWith('.seg'))!;
    appendFileSync(join(dir, seg), '3\ts.h.k\t{"torn');
    const again = await Spool.open({ dir });
    expect((await again.take(10)).records.map((r) => r.seq)).toEqual([1, 2]);
    expect(await again.append(recs(1))).toEqual([3]);
    expect((await again.take(10)).records.map((r) => r.seq)).toEqual([3]);
    await again.close();
  });

  it('when full drops whole oldest segments, counts exactly the untaken records lost, and reports them as one gap', async () => {
    const dir = tempDir();
    const spool = await Spool.open({ dir, maxBytes: 8192, segmentBytes: 1024, fsync: 'os' });
    const taken = await spool.take(10); // nothing yet
    expect(taken.records).toEqual([]);
    for (let i = 0; i < 50; i++) await spool.append(recs(4, i * 4));
    expect(spool.bytes).toBeLessThanOrEqual(8192 + 1024);
    const lost = spool.lost;
    expect(lost).toBeGreaterThan(0);
    const out = await spool.take(1000);
    expect(out.gap).toEqual({ from: 1, count: lost });
    expect(out.records.map((r) => r.seq)).toEqual(Array.from({ length: 200 - lost }, (_, i) => lost + 1 + i));
    await spool.commit(200);
    expect(readdirSync(dir).filter((n) => n.endsWith('.seg'))).toHaveLength(1); // acked segments are deleted
    await spool.close();
  });

  it('does not count records the sender already took when their segment is trimmed', async () => {
    const dir = tempDir();
    const spool = await Spool.open({ dir, maxBytes: 4096, segmentBytes: 1024, fsync: 'os' });
    await spool.append(recs(10));
    const taken = await spool.take(10);
    expect(taken.records).toHaveLength(10);
    for (let i = 0; i < 40; i++) await spool.append(recs(2, 10 + i * 2));
    const out = await spool.take(1000);
    expect(out.gap?.count).toBe(spool.lost);
    expect(out.gap!.from).toBe(11);
    expect(10 + spool.lost + out.records.length).toBe(90);
    await spool.close();
  });

  it('rejects bad options', async () => {
    await expect(Spool.open({ dir: tempDir(), maxBytes: 10 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(Spool.open({ dir: tempDir(), fsync: 'sometimes' as 'os' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(Spool.open({ dir: '/dev/null/spool' })).rejects.toMatchObject({ code: 'ERR_OUTPUT_IO' });
  });
});
