/**
 * The descriptor of the `linux-ebpf` backend: what the `edrkit` meta package puts in its
 * backend table. Importing this file does not load the native addon; probe() and start() do.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { BackendDescriptor } from '@edrkit/core';
import { LinuxEbpfBackend } from './backend.js';
import { LinuxEbpfOptionsSchema, type LinuxEbpfOptions } from './options.js';

export { LinuxEbpfOptionsSchema } from './options.js';
import type { LinuxOsApi } from './native/addon-api.js';
import { privileges, probeLinuxEbpf } from './probe.js';


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
