import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { edrkit, repoRoot } from './cli-helpers.js';

/** A Windows ETW recording in which pid 100 exits and is reused (test/fixtures/README.md). */
const FIXTURE = resolve(repoRoot, 'test/fixtures/windows-pid-reuse.jsonl');

const lines = (out: string) => out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; seq: number; platform: string; process?: { pid: number; exe: string; parent?: { exe: string } } });

describe('edrkit replay of a Windows recording', () => {
  it("--exe 'c:\\windows\\system32\\*' keeps C:\\Windows\\System32\\ images of Windows events, and only those", async () => {
    const linux = {
      kind: 'process.exec', time: 1764680409000, seq: 99, platform: 'linux', source: 'linux-ebpf',
      process: { pid: 9, ppid: 1, uid: 0, exe: 'C:\\Windows\\System32\\cmd.exe', args: ['cmd.exe'], cmdline: 'cmd.exe' },
    };
    const stdin = (await readFile(FIXTURE, 'utf8')) + JSON.stringify(linux) + '\n';
    const r = await edrkit(['replay', '-', '--format', 'json', '--exe', 'c:\\windows\\system32\\*'], { stdin });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const kept = lines(r.stdout).filter((e) => e.kind !== 'sensor.lost');
    expect(kept.map((e) => [e.platform, e.process?.exe])).toEqual([
      ['windows', 'C:\\Windows\\System32\\cmd.exe'],
      ['windows', 'C:\\Windows\\System32\\whoami.exe'],
      ['windows', 'C:\\Windows\\System32\\cmd.exe'], // its exit
      ['windows', 'C:\\Windows\\System32\\conhost.exe'],
      ['windows', 'C:\\Windows\\System32\\notepad.exe'], // image.load
      ['windows', 'C:\\Windows\\System32\\calc.exe'],
    ]);
  });

  it('--lineage gives the children of a reused pid 100 the process that had pid 100 when they started', async () => {
    const r = await edrkit(['replay', FIXTURE, '--format', 'json', '--lineage', '--kinds', 'process.exec']);
    expect(r.code).toBe(0);
    const parents = Object.fromEntries(lines(r.stdout).filter((e) => e.process && e.process.pid !== 100).map((e) => [e.process?.pid, e.process?.parent?.exe]));
    expect(parents).toEqual({
      200: 'C:\\Windows\\System32\\cmd.exe',
      300: 'C:\\Program Files (x86)\\Tool\\tool.exe',
      250: 'C:\\Windows\\System32\\cmd.exe',
      400: 'C:\\Windows\\System32\\notepad.exe',
    });
  });

  it('--user takes a SID or a name (case-insensitive on Windows, with or without the domain)', async () => {
    for (const [user, count] of [['desktop-7q2\\ALICE', 8], ['S-1-5-18', 0]] as const) {
      const r = await edrkit(['replay', FIXTURE, '--format', 'json', '--user', user]);
      expect(r.code).toBe(0);
      expect(lines(r.stdout).filter((e) => e.kind !== 'sensor.lost')).toHaveLength(count);
    }
  });
});
