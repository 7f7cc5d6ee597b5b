/**
 * Issue 14, part A, live as root: real ptrace of a child, process_vm_readv/writev,
 * /proc/PID/mem read and write, a real BPF program load and attach, memfd_create + exec of
 * it, a block-device read (on by default), and a process in a docker-shaped cgroup. The
 * behaviours are done by test/linux/fixtures/telemetry_a.py through ctypes (raw syscalls),
 * and the events are asserted field by field. Unprivileged, the file skips with one line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSensor, parseEvent, type EdrEvent, type Sensor } from '@edrkit/core';
import { LinuxEbpfBackend } from '@edrkit/linux';
import { liveSkipReason, ofKind, ROOT, until } from './helpers.js';
import { watchJson } from './watch-cli.js';

const skip = liveSkipReason();
const PY = '/usr/bin/python3';
const FIXTURE = path.join(ROOT, 'test/linux/fixtures/telemetry_a.py');
const CONTAINER_ID = '14a'.padEnd(64, 'e');

/** A block device that exists here (opened read-only: an unattached loop device reads 0 bytes). */
function blockDevice(): string {
  const loop = readdirSync('/dev').filter((n) => /^loop\d+$/.test(n)).sort()[0];
  if (loop) return `/dev/${loop}`;
  const any = readdirSync('/sys/block')[0];
  if (!any) throw new Error('no block device on this host');
  return `/dev/${any}`;
}

/** Run one fixture subcommand; its JSON result. */
function fixture(...args: string[]): Record<string, unknown> & { pid: number } {
  const r = spawnSync(PY, [FIXTURE, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`telemetry_a.py ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown> & { pid: number };
}

describe.skipIf(!!skip)(`linux-ebpf part A live${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let sensor: Sensor;
  const events: EdrEvent[] = [];
  let loop: Promise<void>;
  beforeAll(async () => {
    // Default kinds: block-device reads must arrive without naming file.open.
    sensor = await openSensor({ backend: new LinuxEbpfBackend(), maxQueue: 200_000 });
    loop = (async () => {
      for await (const e of sensor) events.push(e);
    })();
  });
  afterAll(async () => {
    await sensor?.close();
    await loop;
  });
  const byPid = (pid: number) => events.filter((e) => e.kind !== 'sensor.lost' && e.process.pid === pid);

  it('probe reports the part-A kinds supported', async () => {
    const probe = await new LinuxEbpfBackend().probe();
    for (const k of ['process.access', 'process.tamper', 'bpf.load'] as const) expect(probe.kinds[k], k).toMatchObject({ supported: true });
  });

  it('ptrace of a child: attach and peek are process.access, poke and setregs process.tamper', async () => {
    const r = fixture('ptrace');
    const child = r.child as number;
    await until(() => byPid(r.pid).filter((e) => e.kind === 'process.tamper').length >= 2, 5000);
    const mine = byPid(r.pid).filter((e) => e.kind === 'process.access' || e.kind === 'process.tamper');
    for (const e of mine) expect(() => parseEvent(e)).not.toThrow();
    const requests = mine.map((e) => [e.kind, (e.raw?.linux as { request?: string }).request]);
    expect(requests).toEqual([
      ['process.access', 'PTRACE_ATTACH'],
      ['process.access', 'PTRACE_PEEKDATA'],
      ['process.tamper', 'PTRACE_POKEDATA'],
      ['process.access', 'PTRACE_GETREGS'],
      ['process.tamper', 'PTRACE_SETREGS'],
    ]);
    const [attach, peek, poke, , setregs] = mine;
    expect(attach).toMatchObject({ kind: 'process.access', target: { pid: child }, access: { rights: ['ptrace-attach'] }, process: { pid: r.pid, exe: expect.stringContaining('python3') } });
    expect(attach?.kind === 'process.access' && attach.target.startTime).toBeGreaterThan(0);
    expect(peek).toMatchObject({ access: { rights: ['ptrace-read'] }, raw: { linux: { syscall: 'ptrace', address: r.addr } } });
    expect(poke).toMatchObject({ technique: 'memory-write', target: { pid: child }, raw: { linux: { address: r.addr } } });
    expect(setregs).toMatchObject({ technique: 'register-write' });
  });

  it('process_vm_readv is access (memory-read), process_vm_writev tamper (memory-write)', async () => {
    const r = fixture('vm');
    await until(() => byPid(r.pid).some((e) => e.kind === 'process.tamper'), 5000);
    const access = ofKind(byPid(r.pid), 'process.access');
    const tamper = ofKind(byPid(r.pid), 'process.tamper');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ target: { pid: r.child }, access: { rights: ['memory-read'] }, raw: { linux: { syscall: 'process_vm_readv', bytes: 24, address: r.addr } } });
    expect(tamper).toHaveLength(1);
    expect(tamper[0]).toMatchObject({ target: { pid: r.child }, technique: 'memory-write', raw: { linux: { syscall: 'process_vm_writev', bytes: 24 } } });
  });

  it('/proc/CHILD/mem opened for reading is access, for writing tamper', async () => {
    const r = fixture('procmem');
    await until(() => byPid(r.pid).some((e) => e.kind === 'process.tamper'), 5000);
    expect(ofKind(byPid(r.pid), 'process.access')).toMatchObject([{ target: { pid: r.child }, access: { rights: ['memory-read'] }, raw: { linux: { syscall: 'open', path: r.path } } }]);
    expect(ofKind(byPid(r.pid), 'process.tamper')).toMatchObject([{ target: { pid: r.child }, technique: 'memory-write', raw: { linux: { path: r.path } } }]);
  });

  it('BPF program loads, a raw tracepoint attach and a perf-event link are bpf.load events with the kernel\'s facts', async () => {
    const r = fixture('bpf');
    await until(() => ofKind(byPid(r.pid), 'bpf.load').length >= 4, 5000);
    const [load, attach, tpLoad, link] = ofKind(byPid(r.pid), 'bpf.load');
    expect(load?.bpf).toMatchObject({ operation: 'load', progType: 'raw_tracepoint', name: r.name, instructions: 2 });
    expect(load?.bpf.id).toBeGreaterThan(0);
    expect(load?.bpf.tag).toMatch(/^[0-9a-f]{16}$/);
    expect(attach?.bpf).toMatchObject({ operation: 'attach', progType: 'raw_tracepoint', name: r.name, id: load?.bpf.id, attachTarget: r.tracepoint });
    expect(attach?.raw?.linux).toMatchObject({ command: 'BPF_RAW_TRACEPOINT_OPEN' });
    // A tracepoint program attached to a perf event through BPF_LINK_CREATE, as libbpf does.
    expect(tpLoad?.bpf).toMatchObject({ operation: 'load', progType: 'tracepoint', name: r.tpName });
    expect(link?.bpf).toMatchObject({ operation: 'attach', progType: 'tracepoint', name: r.tpName, attachType: 'perf_event', id: tpLoad?.bpf.id });
    expect(link?.raw?.linux).toMatchObject({ command: 'BPF_LINK_CREATE' });
  });

  it('memfd_create is file.create with file.memfd; its exec is process.exec with process.fileless', async () => {
    const r = fixture('memfd');
    await until(() => byPid(r.child as number).some((e) => e.kind === 'process.exec'), 5000);
    expect(ofKind(byPid(r.pid), 'file.create').filter((e) => e.file.memfd)).toMatchObject([{ file: { path: '/memfd:edrkit-payload', memfd: true }, raw: { linux: { memfdFlags: [] } } }]);
    const exec = ofKind(byPid(r.child as number), 'process.exec');
    expect(exec).toMatchObject([{ process: { exe: '/memfd:edrkit-payload', fileless: true, args: ['edrkit-fileless'] } }]);
  });

  it('a block-device read is file.open with file.type block, by default (file.open not asked for)', async () => {
    const dev = blockDevice();
    const r = fixture('block', dev);
    await until(() => byPid(r.pid).some((e) => e.kind === 'file.open' && e.file.path === dev), 5000);
    const opens = ofKind(byPid(r.pid), 'file.open');
    expect(opens.length).toBeGreaterThan(0);
    // Only block devices, though python itself opened many files.
    for (const o of opens) expect(o.file.type).toBe('block');
    expect(opens.find((o) => o.file.path === dev)).toMatchObject({ file: { path: dev, type: 'block' }, flags: ['read'] });
  });

  it('a process in a docker-shaped cgroup (cgroup v1 or v2, whichever is mounted) has container.id', async () => {
    const v2 = existsSync('/sys/fs/cgroup/cgroup.controllers');
    const base = v2 ? '/sys/fs/cgroup' : '/sys/fs/cgroup/pids';
    const slice = path.join(base, 'system.slice');
    const madeSlice = !existsSync(slice);
    const dir = path.join(slice, `docker-${CONTAINER_ID}.scope`);
    mkdirSync(dir, { recursive: true });
    try {
      const sh = spawn('sh', ['-c', `echo $$ > ${dir}/cgroup.procs && exec /bin/echo edrkit-in-container`], { stdio: 'ignore' });
      await new Promise((res) => sh.on('exit', res));
      // The second exec of that pid: `sh` itself started outside the cgroup, then moved itself in.
      const inside = (e: EdrEvent) => e.kind === 'process.exec' && e.process.pid === sh.pid && e.process.args.includes('edrkit-in-container');
      await until(() => events.some(inside), 5000);
      const exec = ofKind(events, 'process.exec').find(inside);
      expect(exec?.process.container).toEqual({ id: CONTAINER_ID });
      expect(exec?.raw?.linux).toMatchObject({ cgroup: `system.slice/docker-${CONTAINER_ID}.scope` });
      expect(exec?.raw?.linux?.cgroupId).not.toBe(1);
    } finally {
      rmdirSync(dir);
      if (madeSlice) rmdirSync(slice);
    }
  });
});

describe.skipIf(!!skip)(`edrkit watch part A (live)${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('`edrkit watch --format json` reports a ptrace attach and a BPF load', async () => {
    let ptrace: ReturnType<typeof fixture> | undefined;
    let bpf: ReturnType<typeof fixture> | undefined;
    const run = await watchJson(['--kinds', 'sensor.start,process.access,process.tamper,bpf.load', '--duration', '10'], () => {
      ptrace = fixture('ptrace');
      bpf = fixture('bpf');
    });
    expect(run.code, run.stderr).toBe(0);
    const got = run.events;
    expect(got.find((e) => e.kind === 'process.access' && e.process.pid === ptrace?.pid)).toMatchObject({ target: { pid: ptrace?.child }, access: { rights: ['ptrace-attach'] } });
    expect(got.find((e) => e.kind === 'bpf.load' && e.process.pid === bpf?.pid)).toMatchObject({ bpf: { operation: 'load', name: bpf?.name } });
  }, 30_000);
});
