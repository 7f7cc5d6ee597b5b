/**
 * `@edrkit/linux/testing`: the linux-ebpf OS boundary as fakes under test control, and the
 * builder of real ABI-3 kernel records, so backend logic (drop counting, clock conversion,
 * poll errors, teardown, kernel filter configuration) is tested on any machine, without root.
 *
 * @example
 * ```ts
 * import { openSensor } from '@edrkit/core';
 * import { LinuxEbpfBackend } from '@edrkit/linux';
 * import { execRecord, fakeLinuxOs } from '@edrkit/linux/testing';
 * const os = fakeLinuxOs();
 * const sensor = await openSensor({ backend: new LinuxEbpfBackend({}, os), kinds: ['process.exec'] });
 * os.addon.emit([execRecord({ pid: 5000001, tsNs: 1e9 }, { exe: { raw: '/bin/true' } })], { drops: 3 });
 * ```
 *
 * @packageDocumentation
 */
export { FakeLinuxAddon, FAKE_CLOCK_OFFSET_NS, nativeError, type FakeSensor } from './fake-addon.js';
export { fakeLinuxHost, fakeLinuxOs, type FakeLinuxHostInit } from './fake-host.js';
export {
  batch,
  dnsQuery,
  dnsRecord,
  execRecord,
  exitRecord,
  fileRecord,
  forkRecord,
  imageRecord,
  kmodRecord,
  netRecord,
  type HeaderInit,
  type PathInit,
} from '../decode/record-builder.js';
export { accessRecord, bpfRecord } from '../decode/record-builder-a.js';
export { credsRecord, type CredSetInit } from '../decode/record-builder-d.js';
export type { LinuxAddonApi, LinuxHostApi, LinuxOsApi, NativeError, NativeHandle, NativeOpenOptions, NativeOpenResult, TracefsState } from '../native/addon-api.js';
