import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import type { EdrEvent } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { PrettyGrouper } from './pretty-group.js';

const proc = (pid: number, exe = '/usr/bin/curl') => ({ pid, ppid: 1, exe, args: [exe], cmdline: exe });
const base = { platform: 'linux', source: 'linux-ebpf' } as const;
let seq = 0;
const load = (pid: number, lib: string): EdrEvent => ({ ...base, kind: 'image.load', time: 1_750_000_000_000 + ++seq, seq, process: proc(pid), image: { path: lib } });
const exit = (pid: number): EdrEvent => ({ ...base, kind: 'process.exit', time: 1_750_000_000_000 + ++seq, seq, process: proc(pid), exitCode: 0 });
const exec = (pid: number): EdrEvent => ({ ...base, kind: 'process.exec', time: 1_750_000_000_000 + ++seq, seq, process: proc(pid, '/usr/bin/sh') });

describe('PrettyGrouper', () => {
  it('shows the first image.load lines of a process, then one summary line with the count at its exit', () => {
    const g = new PrettyGrouper({ showPerProcess: 3 });
    const lines: string[] = [];
    for (let i = 0; i < 30; i++) lines.push(...g.add(load(123, `/usr/lib/lib${i}.so`)));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('/usr/lib/lib2.so');
    const atExit = g.add(exit(123));
    expect(atExit).toHaveLength(2);
    expect(atExit[0]).toContain('… 27 more image.load by curl (pid 123) not shown; --show-image-loads prints each');
    expect(atExit[1]).toMatch(/process\.exit/);
    expect(g.hidden).toBe(27);
    expect(g.flush()).toEqual([]);
  });

  it('an exec starts a new group; other kinds and other processes are never hidden', () => {
    const g = new PrettyGrouper({ showPerProcess: 1 });
    expect(g.add(load(1, '/a.so'))).toHaveLength(1);
    expect(g.add(load(1, '/b.so'))).toHaveLength(0);
    expect(g.add(load(2, '/a.so'))).toHaveLength(1);
    const execLines = g.add(exec(1));
    expect(execLines[0]).toContain('… 1 more image.load by curl (pid 1)');
    expect(g.add(load(1, '/c.so'))).toHaveLength(1);
    expect(g.add(exit(2))).toHaveLength(1); // pid 2 had nothing hidden: no summary
  });

  it('flush() sums up what is still open at the end of the stream', () => {
    const g = new PrettyGrouper({ showPerProcess: 0 });
    for (let i = 0; i < 5; i++) g.add(load(7, `/l${i}.so`));
    expect(g.flush()).toEqual([expect.stringContaining('… 5 more image.load by curl (pid 7)')]);
  });

  it('memory is bounded: beyond maxProcesses the oldest group is summed up early', () => {
    const g = new PrettyGrouper({ showPerProcess: 0, maxProcesses: 2 });
    g.add(load(1, '/x.so'));
    g.add(load(2, '/x.so'));
    const lines = g.add(load(3, '/x.so'));
    expect(lines).toEqual([expect.stringContaining('… 1 more image.load by curl (pid 1)')]);
    expect(g.flush()).toHaveLength(2);
  });
});

describe('PrettyGrouper: nothing is hidden silently', () => {
  it('every image.load is either printed or counted in exactly one summary line, for any event order', () => {
    const step = fc.record({ kind: fc.constantFrom('load', 'exec', 'exit', 'fork'), pid: fc.integer({ min: 1, max: 6 }) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 }), (steps, show, max) => {
        const g = new PrettyGrouper({ showPerProcess: show, maxProcesses: max });
        const lines: string[] = [];
        let loads = 0;
        for (const s of steps) {
          if (s.kind === 'load') loads++;
          const e: EdrEvent =
            s.kind === 'load' ? load(s.pid, '/lib/x.so') : s.kind === 'exec' ? exec(s.pid) : s.kind === 'exit' ? exit(s.pid) : { ...base, kind: 'process.fork', time: 1, seq: 1, process: proc(s.pid), child: { pid: 99 } };
          lines.push(...g.add(e));
        }
        lines.push(...g.flush());
        // picocolors colours when CI is set; the counts read the text.
        const text = lines.map((l) => stripVTControlCharacters(l));
        const printed = text.filter((l) => / image\.load /.test(l) && !l.startsWith('…')).length;
        const counted = text.reduce((n, l) => n + Number(/^… (\d+) more image\.load/.exec(l)?.[1] ?? 0), 0);
        expect(printed + counted).toBe(loads);
        expect(counted).toBe(g.hidden);
      }),
    );
  });
});
