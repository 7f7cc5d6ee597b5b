/**
 * Live tests of the linux-ebpf backend. As root they run (a capable host that cannot run
 * them fails, it does not skip); unprivileged they skip with one line saying why.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend, probeLinuxEbpf } from '@edrkit/linux';
import { collectingSink, edrkitBpfIds, liveSkipReason, ofKind, ROOT, until } from './helpers.js';

const skip = liveSkipReason();
const PY = '/usr/bin/python3';
const dir = skip ? '' : mkdtempSync('/tmp/edrkit-live-');
afterAll(() => void (dir && rmSync(dir, { recursive: true, force: true })));

// Listens, connects, accepts on 127.0.0.1 and sends one DNS question to 127.0.0.1:53 over UDP.
const NET_PY = [
  'import socket',
  's=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); p=s.getsockname()[1]',
  'c=socket.socket(); c.connect(("127.0.0.1",p)); a,_=s.accept()',
  'q=bytes([0x12,0x34,1,0,0,1,0,0,0,0,0,0,11])+b"edrkit-test"+bytes([7])+b"example"+bytes([0,0,1,0,1])',
  'u=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); u.sendto(q,("127.0.0.1",53))',
  'print(p, c.getsockname()[1])',
].join('\n');

describe.skipIf(!!skip)(`linux-ebpf live${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('probe says the backend is available here, with details', async () => {
    const probe = await probeLinuxEbpf();
    expect(probe.reason ?? '', 'a root host with BTF must be able to run linux-ebpf').toBe('');
    expect(probe.available).toBe(true);
    expect(probe.details).toMatchObject({ btf: true, ringBuffer: true, privileges: 'root' });
    expect(probe.kinds['process.exec']).toMatchObject({ supported: true });
    expect(probe.kinds['registry.set']).toMatchObject({ supported: false });
  });

  it('reports a shell script: exec with args and lineage, exit, file ops with absolute paths, listen/connect/accept, dns', async () => {
    const script = `cd ${dir} && echo hi > a.txt && mv a.txt b.txt && chmod 600 ${dir}/b.txt && rm b.txt && ${PY} -c '${NET_PY}'`;
    const sensor = await openSensor({
      backend: new LinuxEbpfBackend(),
      kinds: ['process.exec', 'process.exit', 'process.fork', 'file.create', 'file.rename', 'file.attr', 'file.delete', 'net.listen', 'net.connect', 'net.accept', 'dns.query'],
      maxQueue: 200_000,
    });
    const events: EdrEvent[] = [];
    const loop = (async () => {
      for await (const e of sensor) events.push(e);
    })();
    const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    const shPid = child.pid!;
    await until(() => events.some((e) => e.kind === 'process.exit' && e.process.pid === shPid) && events.some((e) => e.kind === 'dns.query'), 5000);
    await sensor.close();
    await loop;
    const [port, cport] = out.trim().split(/\s+/).map(Number) as [number, number];
    const mine = events.filter((e) => e.kind !== 'sensor.lost' && (e.process.pid === shPid || e.process.ppid === shPid));

    const sh = ofKind(mine, 'process.exec').find((e) => e.process.pid === shPid);
    expect(sh?.process).toMatchObject({ exe: realpathSync('/bin/sh'), args: ['sh', '-c', script], ppid: process.pid, cwd: process.cwd() });
    expect(sh?.process.parent?.pid).toBe(process.pid);
    expect(ofKind(mine, 'process.exit').find((e) => e.process.pid === shPid)).toMatchObject({ exitCode: 0 });

    const mv = ofKind(mine, 'process.exec').find((e) => e.process.args[0] === 'mv');
    expect(mv?.process).toMatchObject({ exe: realpathSync('/usr/bin/mv'), args: ['mv', 'a.txt', 'b.txt'], ppid: shPid, cwd: dir });
    expect(mv?.process.parent).toMatchObject({ pid: shPid, exe: realpathSync('/bin/sh') });

    expect(ofKind(mine, 'file.create').map((e) => e.file.path)).toContain(path.join(dir, 'a.txt'));
    expect(ofKind(mine, 'file.rename').map((e) => [e.file.path, e.target.path])).toContainEqual([path.join(dir, 'a.txt'), path.join(dir, 'b.txt')]);
    expect(ofKind(mine, 'file.attr').find((e) => e.file.path === path.join(dir, 'b.txt'))).toMatchObject({ mode: 0o600 });
    expect(ofKind(mine, 'file.delete').map((e) => e.file.path)).toContain(path.join(dir, 'b.txt'));

    const lo = '127.0.0.1';
    const net = (k: 'net.listen' | 'net.connect' | 'net.accept') => ofKind(mine, k).map((e) => e.net);
    expect(net('net.listen')).toContainEqual({ protocol: 'tcp', family: 'ipv4', local: { ip: lo, port }, remote: { ip: '0.0.0.0', port: 0 } });
    expect(net('net.connect')).toContainEqual({ protocol: 'tcp', family: 'ipv4', local: { ip: lo, port: cport }, remote: { ip: lo, port } });
    expect(net('net.accept')).toContainEqual({ protocol: 'tcp', family: 'ipv4', local: { ip: lo, port }, remote: { ip: lo, port: cport } });
    expect(ofKind(mine, 'dns.query').map((e) => e.dns)).toContainEqual({ query: 'edrkit-test.example', type: 'A' });

    for (const e of mine) expect(e.time).toBeGreaterThan(Date.now() - 120_000);
  });

  it('image.load: linked and dlopen()ed shared objects, once per process and file', async () => {
    const lib = realpathSync('/usr/lib/x86_64-linux-gnu/libuuid.so.1');
    const libc = realpathSync('/usr/lib/x86_64-linux-gnu/libc.so.6');
    // dlopen, then two more executable mappings of the same file: still one event.
    const py = [
      'import ctypes, mmap, os, sys',
      `ctypes.CDLL(${JSON.stringify(lib)})`,
      `fd = os.open(${JSON.stringify(lib)}, os.O_RDONLY)`,
      'maps = [mmap.mmap(fd, 4096, prot=mmap.PROT_READ | mmap.PROT_EXEC, flags=mmap.MAP_PRIVATE) for _ in range(2)]',
      'print("ok")',
    ].join('\n');
    const sensor = await openSensor({ backend: new LinuxEbpfBackend(), kinds: ['image.load', 'process.exit'], maxQueue: 200_000 });
    const events: EdrEvent[] = [];
    const loop = (async () => {
      for await (const e of sensor) events.push(e);
    })();
    const child = spawn(PY, ['-c', py], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => void (out += d.toString()));
    expect(await new Promise<number | null>((r) => child.on('exit', r))).toBe(0);
    expect(out.trim()).toBe('ok');
    const pid = child.pid!;
    await until(() => events.some((e) => e.kind === 'process.exit' && e.process.pid === pid), 5000);
    await sensor.close();
    await loop;
    const images = ofKind(events, 'image.load').filter((e) => e.process.pid === pid).map((e) => e.image.path);
    expect(images).toContain(libc); // linked: mapped by ld.so
    expect(images.filter((p) => p === lib), 'dlopen + 2 mmaps of one file: one event').toEqual([lib]);
    const probe = await probeLinuxEbpf();
    expect(probe.kinds['image.load']).toMatchObject({ supported: true });
  });

  it('fails unprivileged with ERR_PERMISSION naming root and CAP_BPF', () => {
    const r = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, '--conditions=@edrkit/source', '--import', 'tsx', path.join(ROOT, 'test/linux/fixtures/unprivileged-start.ts')],
      { encoding: 'utf8', cwd: ROOT, env: { ...process.env, HOME: '/tmp' }, timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    const result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { code?: string; message?: string };
    expect(result.code).toBe('ERR_PERMISSION');
    expect(result.message).toMatch(/root/);
    expect(result.message).toMatch(/CAP_BPF/);
  });

  it('overload: delivered + counted kernel drops == generated (tiny ring, kernel-filtered to the generator)', async () => {
    const N = 20_000;
    const gen = spawn(PY, ['-c', [
      'import os,sys',
      'd=sys.argv[1]; sys.stdin.readline()',
      `for i in range(${N}): os.close(os.open(d+"/f%d"%i, os.O_CREAT|os.O_WRONLY, 0o600))`,
      'print("done", flush=True); sys.stdin.readline()',
    ].join('\n'), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    const backend = new LinuxEbpfBackend();
    const c = collectingSink();
    await backend.start({ kinds: ['file.create'], filter: { pids: [gen.pid!] }, signal: new AbortController().signal, backendOptions: { ringBufferBytes: 4096 } }, c.sink);
    const done = new Promise<void>((r) => gen.stdout.on('data', (d: Buffer) => d.toString().includes('done') && r()));
    gen.stdin.write('go\n');
    await done;
    const created = () => c.events.filter((e) => e.kind === 'file.create' && e.file.path.startsWith(`${dir}/f`)).length;
    await until(() => created() + c.lostTotal() >= N, 5000);
    await new Promise((r) => setTimeout(r, 300)); // a late batch would show up as an excess
    await backend.stop();
    gen.stdin.end();
    await new Promise((r) => gen.on('exit', r));
    const stats = backend.stats();
    expect(c.errors).toEqual([]);
    expect(c.warnings, 'no malformed records, every program attached').toEqual([]);
    expect(created() + c.lostTotal()).toBe(N);
    expect(stats.lost).toBe(c.lostTotal());
    expect(c.lost.every((l) => l.stage === 'kernel')).toBe(true);
    expect(c.lostTotal(), 'a 4 KiB ring must overflow under this load').toBeGreaterThan(0);
    for (let i = 0; i < N; i++) rmSync(`${dir}/f${i}`, { force: true });
  });

  it('teardown: stop() leaves none of its programs or maps loaded', async () => {
    const backend = new LinuxEbpfBackend();
    await backend.start({ kinds: ['process.exec', 'file.create', 'net.connect', 'dns.query'], filter: {}, signal: new AbortController().signal }, collectingSink().sink);
    const mine = { progs: [...backend.kernelIds.progs], maps: [...backend.kernelIds.maps] };
    expect(mine.progs.length).toBeGreaterThan(10);
    expect(mine.maps.length).toBeGreaterThan(5);
    const loaded = edrkitBpfIds();
    expect(mine.progs.every((id) => loaded.progs.includes(id)), 'bpftool lists our programs as edrkit_*').toBe(true);
    expect(mine.maps.every((id) => loaded.maps.includes(id)), 'bpftool lists our maps as edrkit*').toBe(true);
    await backend.stop();
    await backend.stop(); // idempotent
    // Programs are freed after an RCU grace period: poll briefly.
    const gone = await until(() => {
      const now = edrkitBpfIds();
      return !mine.progs.some((id) => now.progs.includes(id)) && !mine.maps.some((id) => now.maps.includes(id));
    }, 3000);
    expect(gone, `still loaded: ${JSON.stringify(edrkitBpfIds())}`).toBe(true);
  });

  it('teardown: terminating a worker_thread that holds a live backend unloads everything', () => {
    const out = execFileSync(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', path.join(ROOT, 'test/linux/fixtures/worker-host.ts')], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
    const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { during: number; left: { progs: number; maps: number } };
    expect(r.during).toBeGreaterThan(3);
    expect(r.left).toEqual({ progs: 0, maps: 0 });
  });

  it('an aborted signal stops the backend', async () => {
    const ac = new AbortController();
    const backend = new LinuxEbpfBackend();
    const sensor = await openSensor({ backend, kinds: ['process.exec'], signal: ac.signal });
    const progs = [...backend.kernelIds.progs];
    expect(progs.length).toBeGreaterThan(0);
    ac.abort();
    await sensor.done.catch(() => {});
    expect(await until(() => !progs.some((id) => edrkitBpfIds().progs.includes(id)), 3000)).toBe(true);
  });
});
