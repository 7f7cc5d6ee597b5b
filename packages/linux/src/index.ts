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
 * @packageDocumentation
 */
export { LinuxEbpfBackend, DEFAULT_RING_BYTES, kernelFilter, type LinuxEbpfOptions } from './backend.js';
export { probeLinuxEbpf, MIN_KERNEL, PERMISSION_MESSAGE } from './probe.js';
export { decodeBatch, decodeRecord, type DecodedRecord, type DecodedBatch, type RecordHeader } from './decode/records.js';
export { RecordDecodeError } from './decode/errors.js';
export { parseDnsQuestion, type DnsQuestion } from './decode/dns.js';
export { containerIdFromCgroup } from './proc/container.js';
export { ProcessCache, type CachedProcess, type ProcessCacheOptions } from './proc/process-cache.js';
export { UserNames, parsePasswd, type UserNamesOptions } from './proc/user-names.js';
export { loadAddon, DEFAULT_BPF_OBJECT, type EdrkitAddon } from './native/load-addon.js';
export { linuxEbpfDescriptor, LinuxEbpfOptionsSchema, type LinuxOsApi } from './descriptor.js';
