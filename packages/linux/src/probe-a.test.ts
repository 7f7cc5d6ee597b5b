import { describe, expect, it } from 'vitest';
import { kindSupport } from './probe.js';

describe('probe: part-A kinds are detected at run time', () => {
  it('supported when their syscall tracepoints exist', () => {
    const k = kindSupport(true, 'missing', () => true);
    for (const kind of ['process.access', 'process.tamper', 'bpf.load'] as const) expect(k[kind], kind).toMatchObject({ supported: true });
  });
  it('a missing tracepoint makes its kind unsupported with the tracepoint named, not a failed start', () => {
    const k = kindSupport(true, 'missing', (p) => !p.endsWith('sys_enter_bpf') && !p.endsWith('sys_enter_process_vm_writev'));
    expect(k['bpf.load']).toEqual({ supported: false, reason: 'this kernel has no sys_enter_bpf tracepoint' });
    expect(k['process.tamper']).toEqual({ supported: false, reason: 'this kernel has no sys_enter_process_vm_writev tracepoint' });
    expect(k['process.access']).toMatchObject({ supported: true });
  });
  it('without tracefs, the tracefs remedy', () => {
    expect(kindSupport(false)['process.access']).toMatchObject({ supported: false, reason: expect.stringContaining('mount -t tracefs') });
  });
});
