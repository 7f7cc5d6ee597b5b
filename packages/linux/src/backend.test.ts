import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@edrkit/core';
import { kernelFilter, LinuxEbpfBackend, plainPrefixes } from './backend.js';
import { FILTER_FLAG } from './decode/layout.js';
import { effectiveCaps, kernelVersion, kindSupport } from './probe.js';

describe('kernelFilter', () => {
  it('maps the sensor filter to kernel maps, excluding the embedding process by default', () => {
    expect(kernelFilter({}, 42)).toEqual({ filterFlags: 0, selfTgid: 42 });
    expect(kernelFilter({ includeSelf: true }, 42).selfTgid).toBe(0);
    const f = kernelFilter({ pids: [1], excludePids: [2], uids: [0], excludeUids: [65534], names: ['bash', 'a-very-long-process-name'] }, 7);
    expect(f.filterFlags).toBe(FILTER_FLAG.PID_INCLUDE | FILTER_FLAG.PID_EXCLUDE | FILTER_FLAG.UID_INCLUDE | FILTER_FLAG.UID_EXCLUDE | FILTER_FLAG.NAME_INCLUDE);
    expect(f.names).toEqual(['bash', 'a-very-long-pro']);
  });
  it('moves plain filter.exe prefixes into the kernel, and leaves the whole list to JS when any entry is a glob', () => {
    const f = kernelFilter({ exe: ['/usr/bin/', '/opt/app'] }, 1);
    expect(f.filterFlags & FILTER_FLAG.EXE_PREFIX).toBe(FILTER_FLAG.EXE_PREFIX);
    expect(f.exePrefixes).toEqual(['/usr/bin/', '/opt/app']);
    for (const glob of ['/usr/bin/*sh', '**/python3*', '/usr/bin/?', '/usr/[ab]in/', '/usr/{bin,sbin}/']) {
      const g = kernelFilter({ exe: ['/usr/bin/', glob] }, 1);
      expect(g.filterFlags & FILTER_FLAG.EXE_PREFIX, glob).toBe(0);
      expect(g.exePrefixes, glob).toBeUndefined();
    }
  });
  it('keeps filter.exe in JS when the prefixes do not fit the kernel slots or bytes would differ', () => {
    const nine = Array.from({ length: 9 }, (_, i) => `/p${i}/`);
    expect(kernelFilter({ exe: nine }, 1).exePrefixes).toBeUndefined();
    expect(kernelFilter({ exe: nine.slice(0, 8) }, 1).exePrefixes).toHaveLength(8);
    expect(kernelFilter({ exe: [`/${'a'.repeat(254)}`] }, 1).exePrefixes).toHaveLength(1); // 255 bytes: fits
    expect(kernelFilter({ exe: [`/${'a'.repeat(255)}`] }, 1).exePrefixes).toBeUndefined(); // 256 bytes
    expect(kernelFilter({ exe: ['/tmp/\uFFFD'] }, 1).exePrefixes).toBeUndefined(); // the decoder's mark for non-UTF-8 bytes
    expect(kernelFilter({ exe: ['/tmp/\uD800'] }, 1).exePrefixes).toBeUndefined(); // lone surrogate
    expect(kernelFilter({ exe: ['/tmp/é'] }, 1).exePrefixes).toEqual(['/tmp/é']);
    expect(kernelFilter({ exe: [] }, 1).filterFlags).toBe(0);
  });
  it('plainPrefixes: the filter.paths list is checked before conversion only when it is all plain prefixes', () => {
    expect(plainPrefixes(['/srv/', '/etc/passwd'])).toEqual(['/srv/', '/etc/passwd']);
    expect(plainPrefixes(['/srv/', '**/*.log'])).toBeUndefined();
    expect(plainPrefixes(undefined)).toBeUndefined();
    expect(plainPrefixes([])).toBeUndefined();
  });
  it('leaves glob names to JS', () => {
    expect(kernelFilter({ names: ['bash', 'py*'] }, 1).filterFlags & FILTER_FLAG.NAME_INCLUDE).toBe(0);
  });
});

describe('probe helpers', () => {
  it('parses kernel releases and capability masks', () => {
    expect(kernelVersion('6.18.44-fc-v782')).toEqual([6, 18]);
    expect(kernelVersion('garbage')).toEqual([0, 0]);
    expect(effectiveCaps('Name:\tx\nCapEff:\t000001ffffffffff\n')).toBe(0x1ffffffffffn);
    expect(effectiveCaps('')).toBe(0n);
  });
  it('says how to mount tracefs when syscall kinds cannot work', () => {
    const k = kindSupport(false);
    expect(k['process.exec'].supported).toBe(true);
    expect(k['file.create']).toMatchObject({ supported: false, reason: expect.stringMatching(/mount -t tracefs/) });
    expect(k['registry.set'].supported).toBe(false);
  });
  it('tells a mounted-but-unreadable tracefs (unprivileged user) from a missing one', () => {
    expect(kindSupport(false, 'unreadable')['net.connect']).toMatchObject({ supported: false, reason: expect.stringMatching(/not readable by this user: run as root/) });
  });
});

describe('LinuxEbpfBackend options', () => {
  it('rejects a ring size that is not a power of two, naming the option', async () => {
    const b = new LinuxEbpfBackend();
    const err = await b
      .start({ kinds: ['process.exec'], filter: {}, signal: new AbortController().signal, backendOptions: { ringBufferBytes: 5000 } }, { push() {}, lost() {}, error() {}, warn() {}, ready: () => Promise.resolve(), end() {} })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toMatch(/ringBufferBytes/);
    await b.stop();
  });
  it('has the backend identity', () => {
    const b = new LinuxEbpfBackend();
    expect([b.id, b.platform]).toEqual(['linux-ebpf', 'linux']);
  });
});
