import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { BackendTable, reportBackends, type BackendDescriptor } from './backend-table.js';
import { replayDescriptor } from './replay/replay-descriptor.js';

const lazyLinux = (load: () => Promise<BackendDescriptor<any, any>>) => ({ id: 'linux-ebpf', platform: 'linux' as const, live: true, package: '@edrkit/linux', load });

describe('BackendTable', () => {
  it('never imports a backend package of another platform', async () => {
    const load = vi.fn(async () => replayDescriptor);
    const table = new BackendTable().registerLazy(lazyLinux(load)).register(replayDescriptor);
    await expect(table.get('linux-ebpf', 'macos')).rejects.toMatchObject({ code: 'ERR_NOT_SUPPORTED', message: expect.stringContaining('runs on linux only') });
    const [report] = await reportBackends(table, 'windows');
    expect(report).toMatchObject({ id: 'linux-ebpf', available: false, default: false });
    expect(load).not.toHaveBeenCalled();
    expect(() => table.defaultId('macos')).toThrow(expect.objectContaining({ code: 'ERR_NOT_SUPPORTED' }));
  });

  it('names the package to install when its import fails, and checks the id it exports', async () => {
    const missing = Object.assign(new Error("Cannot find package '@edrkit/linux'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const table = new BackendTable().registerLazy(lazyLinux(() => Promise.reject(missing)));
    await expect(table.get('auto', 'linux')).rejects.toMatchObject({ code: 'ERR_NATIVE_MISSING', message: expect.stringContaining('npm install @edrkit/linux') });
    const wrong = new BackendTable().registerLazy(lazyLinux(async () => replayDescriptor));
    await expect(wrong.get('linux-ebpf', 'linux')).rejects.toMatchObject({ code: 'ERR_BACKEND_FAILED', message: expect.stringContaining("'replay'") });
  });

  it('refuses malformed and duplicate ids', () => {
    const table = new BackendTable().register(replayDescriptor);
    expect(() => table.register(replayDescriptor)).toThrow(/'replay' is already registered/);
    expect(() => table.register({ ...replayDescriptor, id: 'Bad Id' })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });

  it('validates options with the descriptor schema before creating', async () => {
    const create = vi.fn();
    const d: BackendDescriptor<{ n: number }> = { ...replayDescriptor, id: 'num', options: z.object({ n: z.number() }), create } as never;
    const table = new BackendTable().register(d).register(replayDescriptor);
    await expect(table.create('num', { n: 'x' }, 'linux')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', message: expect.stringMatching(/^backend 'num' options: n: /) });
    expect(create).not.toHaveBeenCalled();
    await expect(table.create('replay', {}, 'linux')).rejects.toMatchObject({ message: expect.stringContaining('needs a recording') });
  });
});
