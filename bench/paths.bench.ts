/**
 * Path filters and lineage per event: `filter.exe` prefix and glob on Linux and Windows
 * events (Windows pays for case folding and separator normalisation), and the process
 * table's enrich with pids reused (Windows' pattern) against pids never reused.
 */
import type { EdrEvent, Platform } from '@edrkit/core';
import { ProcessTable, compileFilter } from '@edrkit/core/internal';

const N = 200_000;

function execEvent(platform: Platform, pid: number, ppid: number, exe: string, startTime: number): EdrEvent {
  return {
    kind: 'process.exec',
    time: startTime,
    seq: pid,
    platform,
    source: platform === 'windows' ? 'windows-etw' : 'linux-ebpf',
    process: { pid, ppid, exe, args: [exe], cmdline: exe, startTime },
  };
}

function filterRow(scenario: string, platform: Platform, exe: string[], paths: string[]) {
  const f = compileFilter({ exe }, -1);
  const events = paths.map((p, i) => execEvent(platform, 100 + i, 1, p, 1));
  let kept = 0;
  const started = performance.now();
  for (let i = 0; i < N; i++) if (f.test(events[i % events.length] as EdrEvent)) kept++;
  const secs = (performance.now() - started) / 1000;
  return { scenario, events: N, kept, 'events/s': Math.round(N / secs), 'µs/event': (secs * 1e6) / N };
}

function lineageRow(scenario: string, pidSpace: number) {
  const table = new ProcessTable();
  let withParent = 0;
  const started = performance.now();
  let previous: EdrEvent | undefined;
  for (let i = 0; i < N; i++) {
    // Each process is the child of the one before, which exits once its child has started.
    const pid = 1000 + (i % pidSpace);
    const e = table.enrich(execEvent('windows', pid, 1000 + ((i + pidSpace - 1) % pidSpace), 'C:\\Windows\\System32\\cmd.exe', i * 10));
    if (e.kind !== 'sensor.lost' && e.process.parent) withParent++;
    if (previous) table.learn({ ...previous, kind: 'process.exit', time: i * 10 + 5 } as EdrEvent);
    previous = e;
  }
  const secs = (performance.now() - started) / 1000;
  return { scenario, events: N, kept: withParent, 'events/s': Math.round(N / secs), 'µs/event': (secs * 1e6) / N };
}

export async function run() {
  const linux = ['/usr/bin/bash', '/usr/lib/systemd/systemd-journald', '/opt/app/bin/server', '/usr/bin/python3.12'];
  const windows = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Program Files (x86)\\Tool\\tool.exe', 'C:\\Windows\\SysWOW64\\rundll32.exe', 'c:\\windows\\system32\\svchost.exe'];
  return [
    filterRow('linux exe prefix', 'linux', ['/usr/bin/'], linux),
    filterRow('linux exe glob', 'linux', ['/usr/{bin,lib}/**/*sh*'], linux),
    filterRow('windows exe prefix', 'windows', ['C:\\Windows\\System32\\'], windows),
    filterRow('windows exe glob', 'windows', ['c:\\windows\\system32\\*'], windows),
    lineageRow('lineage, pids reused (exec + exit each)', 64),
    lineageRow('lineage, 100k distinct pids (exec + exit each)', 100_000),
  ];
}
