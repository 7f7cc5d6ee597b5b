import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEvent, type EdrEvent } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { edrkit } from './cli-helpers.js';

const events: EdrEvent[] = [
  {
    kind: 'process.exec', time: 1_750_000_000_000.5, seq: 1, platform: 'linux', source: 'linux-ebpf',
    process: { pid: 4242, ppid: 4000, uid: 0, gid: 0, exe: '/usr/bin/sh', args: ['sh', '-c', 'echo hi'], cmdline: 'sh -c echo hi', cwd: '/tmp', parent: { pid: 4000, exe: '/usr/bin/node', cmdline: 'node test.js' } },
    raw: { linux: { cgroupId: 1234 } },
  },
  {
    kind: 'file.rename', time: 1_750_000_000_001, seq: 2, platform: 'linux', source: 'linux-ebpf',
    process: { pid: 4242, ppid: 4000, exe: '/usr/bin/sh', args: ['sh'], cmdline: 'sh' }, file: { path: '/tmp/a' }, target: { path: '/tmp/b' },
  },
  {
    kind: 'file.open', time: 1_750_000_000_001.25, seq: 3, platform: 'linux', source: 'linux-ebpf',
    process: { pid: 4242, ppid: 4000, exe: '/usr/bin/sh', args: ['sh'], cmdline: 'sh' }, file: { path: '/etc/passwd' }, flags: ['read'],
  },
  {
    kind: 'net.listen', time: 1_750_000_000_002, seq: 4, platform: 'linux', source: 'linux-ebpf',
    process: { pid: 4243, ppid: 4242, exe: '/usr/bin/python3', args: ['python3'], cmdline: 'python3' },
    net: { protocol: 'tcp', family: 'ipv6', local: { ip: '::1', port: 8080 }, remote: { ip: '::', port: 0 } },
  },
  { kind: 'sensor.lost', time: 1_750_000_000_003, seq: 5, platform: 'linux', source: 'linux-ebpf', lost: { count: 3, reason: 'ring buffer full', stage: 'kernel' } },
  {
    kind: 'process.exit', time: 1_750_000_000_004, seq: 6, platform: 'linux', source: 'linux-ebpf',
    process: { pid: 4242, ppid: 4000, exe: '/usr/bin/sh', args: ['sh'], cmdline: 'sh' }, exitCode: 0,
  },
];

async function tmp(name: string, text: string): Promise<string> {
  const p = join(await mkdtemp(join(tmpdir(), 'edrkit-cli-')), name);
  await writeFile(p, text);
  return p;
}

const jsonl = (es: unknown[]) => es.map((e) => JSON.stringify(e)).join('\n') + '\n';

describe('edrkit replay', () => {
  it('--format json re-emits a conformant recording unchanged', async () => {
    const file = await tmp('rec.jsonl', jsonl(events));
    const r = await edrkit(['replay', file, '--format', 'json']);
    expect(r.stderr).toMatch(/edrkit: 5 events delivered/);
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => parseEvent(JSON.parse(l)));
    expect(out).toEqual(events);
  });

  it('reads stdin with -, and filters', async () => {
    const r = await edrkit(['replay', '-', '--format', 'json', '--kinds', 'file.*'], { stdin: jsonl(events) });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).kind)).toEqual(['file.rename', 'file.open', 'sensor.lost']);
  });

  it('a malformed line (wrong type) names the line and field, without a stack trace', async () => {
    const bad = { ...events[1], process: { ...(events[1] as { process: object }).process, pid: '4242' } };
    const file = await tmp('bad.jsonl', jsonl([events[0], bad, events[2]]));
    const r = await edrkit(['replay', file, '--format', 'json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`edrkit: ${file}:line 2: invalid event: process.pid: expected number, received string [ERR_INVALID_EVENT]`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('a malformed line (missing field) names the field; --on-invalid skip goes on', async () => {
    const { target: _, ...noTarget } = events[1] as Record<string, unknown>;
    const file = await tmp('missing.jsonl', jsonl([events[0], noTarget, events[2]]));
    const fail = await edrkit(['replay', file, '--format', 'json']);
    expect(fail.code).toBe(3);
    expect(fail.stderr).toContain('line 2: invalid event: target: missing (expected object)');
    const skip = await edrkit(['replay', file, '--format', 'json', '--on-invalid', 'skip']);
    expect(skip.code).toBe(0);
    expect(skip.stderr).toContain('warning:');
    expect(skip.stdout.trim().split('\n').map((l) => JSON.parse(l).kind)).toEqual(['process.exec', 'sensor.lost', 'file.open']);
  });

  it('pretty output is one readable line per event', async () => {
    const r = await edrkit(['replay', await tmp('rec.jsonl', jsonl(events)), '--format', 'pretty']);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(events.length);
    expect(lines[0]).toMatch(/process\.exec\s+4242 sh\s+sh -c echo hi ← \/usr\/bin\/node\(4000\)/);
    expect(lines[1]).toMatch(/file\.rename .* \/tmp\/a → \/tmp\/b/);
    expect(lines[3]).toMatch(/net\.listen .* tcp \[::1\]:8080/);
    expect(lines[4]).toMatch(/LOST 3 event\(s\) at kernel: ring buffer full/);
  });

  it('ocsf and ecs formats print one record per line', async () => {
    const file = await tmp('rec.jsonl', jsonl(events.filter((e) => e.kind !== 'sensor.lost')));
    const ocsf = await edrkit(['replay', file, '--format', 'ocsf']);
    expect(ocsf.code).toBe(0);
    const first = JSON.parse(ocsf.stdout.split('\n')[0] ?? '{}');
    expect(first).toMatchObject({ class_uid: 1007, activity_id: 1, type_uid: 100701 });
    const ecs = await edrkit(['replay', file, '--format', 'ecs']);
    expect(JSON.parse(ecs.stdout.split('\n')[0] ?? '{}')).toMatchObject({ event: { category: ['process'] } });
  });

  it('usage errors exit 2 and name the problem', async () => {
    const file = await tmp('rec.jsonl', jsonl(events));
    const r = await edrkit(['replay', file, '--kinds', 'proc.exec']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--kinds: unknown kind 'proc.exec'");
    expect((await edrkit(['replay', file, '--format', 'xml'])).stderr).toContain('--format must be one of pretty, json, ocsf, ecs');
    expect((await edrkit(['frobnicate'])).code).toBe(2);
    const missing = await edrkit(['replay', '/nonexistent.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read recording '/nonexistent.jsonl' (ENOENT)");
  });
});

describe('edrkit doctor', () => {
  it('runs and exits 0, reporting the backends', async () => {
    const r = await edrkit(['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/edrkit doctor/);
    expect(r.stdout).toMatch(/linux-ebpf/);
    const json = await edrkit(['doctor', '--format', 'json']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    // Live backends of the table, each saying what privilege it needs (no uid === 0 guess).
    expect(report.backends.map((b: { id: string }) => b.id)).toEqual(['linux-ebpf', 'windows-etw', 'windows-eventlog', 'windows-minifilter', 'macos-eslogger', 'macos-es']);
    // Another OS's backends are listed, unavailable with the reason.
    expect(report.backends[4]).toMatchObject({ available: false, reason: 'runs on macos only (this is linux)' });
    expect(report.backends[0].privilege).toMatchObject({ needed: 'root or CAP_BPF+CAP_PERFMON', held: expect.any(Boolean) });
    expect(report.user.root).toBeUndefined();
    // The plugin confinement section is measured, one state per layer.
    expect(r.stdout).toMatch(/plugin confinement\n\s+launcher\s+(held|unavailable)/);
    for (const state of Object.values(report.pluginConfinement as Record<string, string>)) expect(state).toMatch(/^(held|unavailable:.+)$/);
    if (process.getuid?.() === 0) expect(report.pluginConfinement).toMatchObject({ launcher: 'held', identity: 'held', network: 'held', session: 'held', pdeathsig: 'held' });
  });
});

describe('edrkit record', () => {
  it('refuses pretty and reports a missing directory', async () => {
    expect((await edrkit(['record', '-o', '/tmp/x.jsonl', '--format', 'pretty'])).code).toBe(2);
    const r = await edrkit(['record', '-o', '/nonexistent-dir/x.jsonl', '--duration', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ENOENT/);
  });

  it('writes a replayable file', async () => {
    // Live when the backend can run; the recording is replayed through the CLI either way.
    const out = join(await mkdtemp(join(tmpdir(), 'edrkit-rec-')), 'live.jsonl');
    const r = await edrkit(['record', '-o', out, '--duration', '2', '--kinds', 'process.exec']);
    if (r.code !== 0) {
      expect(r.stderr).toMatch(/ERR_PERMISSION|ERR_NOT_SUPPORTED|unavailable/);
      return;
    }
    const text = await readFile(out, 'utf8');
    for (const line of text.split('\n').filter(Boolean)) parseEvent(JSON.parse(line));
    expect((await edrkit(['replay', out, '--format', 'json'])).code).toBe(0);
  });
});
