/**
 * `@edrkit/linux`: the Linux eBPF backend of edrkit. CO-RE tracepoint programs, a ring buffer
 * read on a native thread and handed over in batches, in-kernel filters and counted drops.
 *
 * @example
 * ```ts
 * import { openSensor } from '@edrkit/core';
 * import { LinuxEbpfBackend } from '@edrkit/linux';
 * await using sensor = await openSensor({ backend: new LinuxEbpfBackend(), kinds: ['process.exec'] });
 * for await (const e of sensor) console.log(e.process.exe, e.process.args);
 * ```
 *
 * The decoder, process cache and addon loader (for benchmarks and tests) are in
 * `@edrkit/linux/internal`.
 *
 * @packageDocumentation
 */
export { LinuxEbpfBackend, DEFAULT_RING_BYTES, kernelFilter, type LinuxEbpfOptions } from './backend.js';
export { probeLinuxEbpf, MIN_KERNEL, PERMISSION_MESSAGE } from './probe.js';
export { RecordDecodeError } from './decode/errors.js';
export { WatchedFileError } from './derive/errors.js';
export { linuxEbpfDescriptor, LinuxEbpfOptionsSchema } from './descriptor.js';
export type { LinuxAddonApi, LinuxHostApi, LinuxOsApi, NativeError, NativeHandle, NativeOpenOptions, NativeOpenResult, TracefsState } from './native/addon-api.js';
