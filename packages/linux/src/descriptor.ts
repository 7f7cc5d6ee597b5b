/**
 * The descriptor of the `linux-ebpf` backend: what the `edrkit` meta package puts in its
 * backend table. Importing this file does not load the native addon; probe() and start() do.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { BackendDescriptor } from '@edrkit/core';
import { z } from 'zod';
import { LinuxEbpfBackend, type LinuxEbpfOptions } from './backend.js';
import type { LinuxOsApi } from './native/addon-api.js';
import { privileges, probeLinuxEbpf } from './probe.js';


/** Options of `linux-ebpf`, checked. */
export const LinuxEbpfOptionsSchema = z
  .object({
    ringBufferBytes: z
      .number()
      .int()
      .min(4096)
      .max(2 ** 30)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two between 4096 and 1 GiB (e.g. 8388608)')
      .optional(),
    objectPath: z.string().min(1).optional(),
    processCacheSize: z.number().int().positive().optional(),
  })
  .strict() satisfies z.ZodType<LinuxEbpfOptions>;

function distribution(): string | undefined {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** The `linux-ebpf` backend descriptor. */
export const linuxEbpfDescriptor: BackendDescriptor<LinuxEbpfOptions, LinuxOsApi> = {
  id: 'linux-ebpf',
  platform: 'linux',
  live: true,
  summary: 'Linux eBPF: CO-RE tracepoints and a ring buffer (kernel 5.8+, BTF)',
  options: LinuxEbpfOptionsSchema,
  privilege: () => {
    if (process.platform !== 'linux') return { needed: 'root or CAP_BPF+CAP_PERFMON', held: false };
    const p = privileges();
    return { needed: 'root or CAP_BPF+CAP_PERFMON', held: p.ok, how: p.how };
  },
  host: (): Record<string, string> => {
    const d = process.platform === 'linux' ? distribution() : undefined;
    return d ? { distribution: d } : {};
  },
  // `osApi` is the OS boundary (the addon's functions and the host facts); tests pass the fake
  // of `@edrkit/linux/testing`, everyone else gets the real addon, loaded on first use.
  probe: (options, osApi) => probeLinuxEbpf({ ...(options.objectPath ? { objectPath: options.objectPath } : {}), ...(osApi ? { os: osApi } : {}) }),
  create: (options, osApi) => new LinuxEbpfBackend(options, osApi),
};
