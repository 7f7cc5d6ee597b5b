import { openSensor } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { LinuxEbpfBackend } from './backend.js';
import { linuxEbpfDescriptor } from './descriptor.js';

describe('linuxEbpfDescriptor', () => {
  it('checks its options with its schema', () => {
    expect(linuxEbpfDescriptor.options.safeParse({ ringBufferBytes: 4096 * 3 }).success).toBe(false);
    expect(linuxEbpfDescriptor.options.safeParse({ ringBufferBytes: 1 << 20, objectPath: '/x.o' }).success).toBe(true);
    expect(linuxEbpfDescriptor.options.safeParse({ ringBytes: 1 << 20 }).success).toBe(false);
    expect(linuxEbpfDescriptor.create({})).toBeInstanceOf(LinuxEbpfBackend);
  });

  it('says which privilege it needs', () => {
    const p = linuxEbpfDescriptor.privilege();
    expect(p.needed).toBe('root or CAP_BPF+CAP_PERFMON');
    expect(typeof p.held).toBe('boolean');
  });

  // Nothing is loaded into the kernel: the probe fails before (missing BPF object, or no privilege).
  it('fails start() with the very error openSensor throws for the same probe', async () => {
    const viaOpen = await openSensor({ backend: new LinuxEbpfBackend({ objectPath: '/nonexistent/edrkit.bpf.o' }) }).catch((e: unknown) => e);
    const viaStart = await new LinuxEbpfBackend({ objectPath: '/nonexistent/edrkit.bpf.o' })
      .start({ kinds: ['process.exec'], filter: {}, signal: new AbortController().signal }, undefined as never)
      .catch((e: unknown) => e);
    expect(viaOpen).toMatchObject({ name: 'BackendUnavailableError', backend: 'linux-ebpf' });
    expect(viaStart).toMatchObject({ name: (viaOpen as Error).name, code: (viaOpen as { code: string }).code, message: (viaOpen as Error).message });
  });
});
