import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EdrEvent, EventOfKind, Process } from '../events/schema.js';
import { ReplayBackend } from '../replay/replay-backend.js';
import { openSensor } from './open-sensor.js';
import { ProcessTable } from './process-table.js';

/** A Windows ETW recording written for this test: pid 100 is reused twice (see the fixture). */
const FIXTURE = resolve(import.meta.dirname, '../../../../test/fixtures/windows-pid-reuse.jsonl');

const proc = (pid: number, ppid: number, exe: string, startTime?: number): Process => ({
  pid,
  ppid,
  exe,
  args: [exe],
  cmdline: exe,
  ...(startTime !== undefined ? { startTime } : {}),
});
let seq = 0;
const ev = <K extends 'process.exec' | 'process.exit' | 'file.create'>(kind: K, time: number, process: Process): EdrEvent => {
  const base = { kind, time, seq: ++seq, platform: 'linux' as const, source: 'linux-ebpf' as const, process };
  if (kind === 'file.create') return { ...base, kind: 'file.create', file: { path: '/tmp/x' } } as EventOfKind<'file.create'>;
  return base as EdrEvent;
};
const parentOf = (e: EdrEvent) => (e.kind === 'sensor.lost' ? undefined : e.process.parent?.exe);

describe('ProcessTable: lineage keyed by (pid, start time)', () => {
  it('replay of a Windows recording with pid 100 reused: each child gets the pid 100 alive when it started', async () => {
    const sensor = await openSensor({ backend: new ReplayBackend({ path: FIXTURE }), processTable: {} });
    const byPid = new Map<number, string | undefined>();
    for await (const e of sensor) if (e.kind === 'process.exec') byPid.set(e.process.pid, parentOf(e));
    expect(Object.fromEntries(byPid)).toEqual({
      100: undefined, // the parents of the three pid 100 processes are not in the recording
      200: 'C:\\Windows\\System32\\cmd.exe',
      300: 'C:\\Program Files (x86)\\Tool\\tool.exe',
      250: 'C:\\Windows\\System32\\cmd.exe', // delivered after tool.exe took pid 100, started before
      400: 'C:\\Windows\\System32\\notepad.exe', // notepad.exe's start was lost, its image.load was not
    });
  });

  it('a late event of an exited process does not bring it back, and an old exit does not retire its successor', () => {
    const t = new ProcessTable();
    t.learn(ev('process.exec', 1000, proc(7, 1, '/bin/old', 1000)));
    t.learn(ev('process.exit', 2000, proc(7, 1, '/bin/old', 1000)));
    t.learn(ev('file.create', 2100, proc(7, 1, '/bin/old', 1000)));
    expect(t.get(7)).toBeUndefined();
    t.learn(ev('process.exec', 3000, proc(7, 1, '/bin/new', 3000)));
    t.learn(ev('process.exit', 3100, proc(7, 1, '/bin/old', 1000)));
    expect(t.get(7)?.exe).toBe('/bin/new');
    expect(t.get(7, 1500)?.exe).toBe('/bin/old');
    expect(t.get(7, 2500)).toBeUndefined(); // between the two: nobody had pid 7
    // The exit of a process newer than the one known (its start was lost): both are gone.
    t.learn(ev('process.exit', 9000, proc(7, 1, '/bin/newer', 8000)));
    expect(t.get(7)).toBeUndefined();
    expect(t.get(7, 8500)?.exe).toBe('/bin/newer');
    expect(t.get(7, 4000)?.exe).toBe('/bin/new');
  });

  it('without start times: falls back to the pid, and an exit retires the entry for lineage', () => {
    const t = new ProcessTable();
    t.learn(ev('process.exec', 1000, proc(100, 1, '/bin/a')));
    const child = t.enrich(ev('process.exec', 1100, proc(200, 100, '/bin/c')));
    expect(parentOf(child)).toBe('/bin/a');
    t.learn(ev('process.exit', 1200, proc(100, 1, '/bin/a')));
    // A process that reuses pid 100, first seen through its child: no parent rather than /bin/a.
    const orphan = t.enrich(ev('process.exec', 1300, proc(300, 100, '/bin/d')));
    expect(parentOf(orphan)).toBeUndefined();
  });

  it('does not hand a reused pid to an older child, nor ask the lookup (it would name the new process)', () => {
    const lookups: number[] = [];
    const t = new ProcessTable({ lookup: (pid) => (lookups.push(pid), { pid, exe: '/proc/says' }) });
    t.learn(ev('process.exec', 5000, proc(100, 1, '/bin/new', 5000)));
    const old = t.enrich(ev('process.exec', 5001, proc(300, 100, '/bin/c', 4000)));
    expect(parentOf(old)).toBeUndefined();
    expect(lookups).toEqual([]);
    const fresh = t.enrich(ev('process.exec', 5002, proc(301, 555, '/bin/c', 4000)));
    expect(parentOf(fresh)).toBe('/proc/says');
  });

  it('keeps a few generations per pid and stays bounded', () => {
    const t = new ProcessTable({ maxEntries: 2, maxExited: 2 });
    for (let i = 0; i < 10; i++) {
      t.learn(ev('process.exec', i * 100, proc(9, 1, `/bin/g${i}`, i * 100)));
      t.learn(ev('process.exit', i * 100 + 50, proc(9, 1, `/bin/g${i}`, i * 100)));
    }
    expect(t.get(9, 920)?.exe).toBe('/bin/g9');
    expect(t.get(9, 620)?.exe).toBe('/bin/g6');
    expect(t.get(9, 20)).toBeUndefined(); // older generations were let go
    for (let pid = 1; pid < 50; pid++) t.learn(ev('process.exec', 1, proc(pid, 0, '/x', 1)));
    expect(t.size).toBe(2);
  });
});
