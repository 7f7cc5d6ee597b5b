/**
 * `@edrkit/linux/internal`: the pieces of the Linux backend that the benchmarks and tests drive
 * directly (record decoder, process cache, user names, the addon loader). Not part of the
 * public API: names here may change in any release.
 *
 * @packageDocumentation
 */
export { decodeBatch, decodeRecord, type DecodedRecord, type DecodedBatch, type RecordHeader } from './decode/records.js';
export { parseDnsQuestion, type DnsQuestion } from './decode/dns.js';
export { containerIdFromCgroup } from './proc/container.js';
export { ProcessCache, type CachedProcess, type ProcessCacheOptions } from './proc/process-cache.js';
export { UserNames, parsePasswd, type UserNamesOptions } from './proc/user-names.js';
export { loadAddon, DEFAULT_BPF_OBJECT, type EdrkitAddon } from './native/load-addon.js';
