import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, parseEvent, type EdrEvent } from '@edrkit/core';
import { toECS } from './to-ecs.js';

const proc = { pid: 200, ppid: 100, uid: 0, exe: '/bin/sh', args: ['sh'], cmdline: 'sh', startTime: 1000.5 };
const ev = (e: Record<string, unknown>): EdrEvent =>
  parseEvent({ time: 1714564802000.123, seq: 1, platform: 'linux', source: 'linux-ebpf', process: proc, ...e });

describe('toECS', () => {
  it('writes @timestamp with microseconds and the event categorisation as arrays', () => {
    const d = toECS(ev({ kind: 'file.create', file: { path: '/tmp/a.sh' } }), { hostname: 'h' });
    expect(d['@timestamp']).toBe('2024-05-01T12:00:02.000123Z');
    expect(d.event).toEqual({
      kind: 'event',
      category: ['file'],
      type: ['creation'],
      action: 'creation',
      module: 'edrkit',
      dataset: 'edrkit.file',
      provider: 'linux-ebpf',
      sequence: 1,
    });
    expect(d.file).toEqual({ path: '/tmp/a.sh', name: 'a.sh', directory: '/tmp', extension: 'sh' });
    expect(d.host).toEqual({ hostname: 'h', name: 'h', os: { type: 'linux', platform: 'linux', name: 'Linux' } });
    expect(d.process?.parent).toEqual({ pid: 100 });
  });

  it('fork: process is the child, parent the forking process', () => {
    const d = toECS(ev({ kind: 'process.fork', child: { pid: 201 } }));
    expect(d.process).toMatchObject({ pid: 201, executable: '/bin/sh', parent: { pid: 200, executable: '/bin/sh' } });
  });

  it('exit: exit code, end time, signal under edrkit', () => {
    const d = toECS(ev({ kind: 'process.exit', exitCode: 1, signal: 15 }));
    expect(d.process).toMatchObject({ exit_code: 1, end: '2024-05-01T12:00:02.000123Z' });
    expect(d.edrkit).toEqual({ signal: 15 });
    expect(d.event.type).toEqual(['end']);
  });

  it('listen: only the local side, as source', () => {
    const d = toECS(ev({ kind: 'net.listen', net: { protocol: 'udp', family: 'ipv4', local: { ip: '0.0.0.0', port: 53 }, remote: { ip: '0.0.0.0', port: 0 } } }));
    expect(d.source).toEqual({ address: '0.0.0.0', ip: '0.0.0.0', port: 53 });
    expect(d.destination).toBeUndefined();
    expect(d.network).toEqual({ transport: 'udp', type: 'ipv4', iana_number: '17' });
  });

  it('a non-IP address stays in address only', () => {
    const d = toECS(ev({ kind: 'net.connect', net: { protocol: 'tcp', family: 'ipv4', local: { ip: 'x', port: 1 }, remote: { ip: '1.1.1.1', port: 2 } } }));
    expect(d.source).toEqual({ address: 'x', port: 1 });
  });

  it('kmod.load: module file and name', () => {
    const d = toECS(ev({ kind: 'kmod.load', module: { name: 'nf_tables', path: '/lib/modules/nf_tables.ko' } }));
    expect(d.file?.name).toBe('nf_tables.ko');
    expect(d.edrkit).toEqual({ module: { name: 'nf_tables' } });
    expect(d.event.category).toEqual(['driver']);
  });

  it('rejects an unknown kind with InvalidArgumentError', () => {
    expect(() => toECS({ kind: 'nope' } as unknown as EdrEvent)).toThrow(InvalidArgumentError);
  });
});
