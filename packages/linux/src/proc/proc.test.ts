import { describe, expect, it } from 'vitest';
import { containerIdFromCgroup } from './container.js';
import { joinArgs, ProcessCache } from './process-cache.js';
import { cgroupOf, readProc } from './procfs.js';

const ID = 'a'.repeat(12) + '0123456789abcdef'.repeat(3) + 'b'.repeat(4);

describe('containerIdFromCgroup', () => {
  it('finds docker, containerd, cri-o, podman and kubepods ids', () => {
    expect(ID).toHaveLength(64);
    expect(containerIdFromCgroup(`/system.slice/docker-${ID}.scope`)).toBe(ID);
    expect(containerIdFromCgroup(`/docker/${ID}`)).toBe(ID);
    expect(containerIdFromCgroup(`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-${ID}.scope`)).toBe(ID);
    expect(containerIdFromCgroup(`/machine.slice/libpod-${ID}.scope/container`)).toBe(ID);
    expect(containerIdFromCgroup(`crio-${ID}.scope`)).toBe(ID);
    expect(containerIdFromCgroup(`/kubepods/besteffort/pod0f1e/${ID}`)).toBe(ID);
  });
  it('names a systemd-nspawn machine by its (unescaped) name, not a libvirt QEMU guest', () => {
    expect(containerIdFromCgroup('/machine.slice/machine-web\\x2d1.scope')).toBe('web-1');
    expect(containerIdFromCgroup('machine.slice/machine-web.scope/payload')).toBe('web');
    expect(containerIdFromCgroup('/machine.slice/machine-qemu\\x2d1\\x2dvm.scope')).toBeUndefined();
    expect(containerIdFromCgroup('/user.slice/machine-x.scope')).toBeUndefined();
  });
  it('gives undefined for ordinary cgroups', () => {
    expect(containerIdFromCgroup('/user.slice/user-0.slice/session-3.scope')).toBeUndefined();
    expect(containerIdFromCgroup('/')).toBeUndefined();
    expect(containerIdFromCgroup('')).toBeUndefined();
  });
});

describe('cgroupOf (/proc/PID/cgroup)', () => {
  it('takes the v2 path, or on a v1/hybrid host where it is the root, the pids/memory/cpu/systemd path', () => {
    expect(cgroupOf('0::/system.slice/docker-x.scope\n')).toBe('/system.slice/docker-x.scope');
    const v1 = `9:name=systemd:/docker/${ID}\n8:pids:/docker/${ID}\n4:memory:/other\n1:cpu,cpuacct:/\n0::/\n`;
    expect(cgroupOf(v1)).toBe(`/docker/${ID}`);
    expect(cgroupOf('4:memory:/m\n1:cpu,cpuacct:/c\n')).toBe('/m');
    expect(cgroupOf('1:cpu,cpuacct:/c\n0::/\n')).toBe('/c');
    expect(cgroupOf('8:pids:/\n0::/\n')).toBe('/');
    expect(cgroupOf('garbage')).toBeUndefined();
  });
});

describe('readProc', () => {
  it('snapshots this process', () => {
    const p = readProc(process.pid);
    expect(p?.exe).toBe(process.execPath);
    expect(p?.ppid).toBe(process.ppid);
    expect(p?.args[0]).toBeTruthy();
    expect(p?.cwd).toBe(process.cwd());
    expect(p?.startNs).toBeGreaterThan(0);
  });
  it('gives undefined for a pid that does not exist', () => {
    expect(readProc(2 ** 22 + 12345)).toBeUndefined();
  });
});

describe('ProcessCache', () => {
  it('forks inherit the parent image; lookups give lineage refs; LRU bounds the size', () => {
    const cache = new ProcessCache({ bootToEpochMs: (ns) => ns / 1e6, readProc: false, max: 3 });
    cache.set({ pid: 10, ppid: 1, exe: '/bin/sh', args: ['sh'], cmdline: 'sh', origin: 'exec' });
    cache.fork(10, 11, 5);
    expect(cache.get(11)).toMatchObject({ pid: 11, ppid: 10, exe: '/bin/sh', startTime: 5, origin: 'fork' });
    expect(cache.lookup(10)).toEqual({ pid: 10, exe: '/bin/sh', cmdline: 'sh' });
    cache.fork(10, 12, 6);
    cache.fork(10, 13, 7);
    expect(cache.size).toBe(3);
    expect(cache.get(11)).toBeUndefined();
  });
  it('falls back to /proc on a miss', () => {
    const cache = new ProcessCache({ bootToEpochMs: (ns) => ns / 1e6 });
    expect(cache.get(process.pid)).toMatchObject({ exe: process.execPath, origin: 'proc' });
  });
  it('quotes arguments that need it in cmdline', () => {
    expect(joinArgs(['sh', '-c', 'echo hi', ''])).toBe(`sh -c 'echo hi' ''`);
  });
});

describe('ProcessCache.seedFromProc', () => {
  it('knows processes that started before it', () => {
    const cache = new ProcessCache({ bootToEpochMs: (ns) => ns / 1e6 });
    expect(cache.seedFromProc()).toBeGreaterThan(1);
    expect(cache.size).toBeGreaterThan(1);
  });
});
