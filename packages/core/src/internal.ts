/**
 * `@edrkit/core/internal`: building blocks of the Sensor that edrkit's own packages, the
 * benchmarks and the tests use. Not part of the public API: names here may change in any
 * release. Users need only `@edrkit/core` (or `edrkit`).
 *
 * @packageDocumentation
 */
export { EventQueue, type LostFactory, type PushResult } from './sensor/event-queue.js';
export { ProcessTable, type ProcessTableOptions } from './sensor/process-table.js';
export { compileFilter, compilePathPatterns, type CompiledFilter } from './sensor/filter.js';
export { readLines, type ByteLine, type ReadLinesOptions } from './replay/line-reader.js';
export { decodeUtf8, firstInvalidUtf8, type Utf8Result } from './replay/utf8.js';
export { FileHasher, resolveHashOptions, entropyOf, type ResolvedHashOptions, type HasherStats } from './enrich/file-hasher.js';
export { HashingBackend, MAX_EVENTS_AWAITING_HASHES } from './enrich/hashing-backend.js';
export { findPlatformFile, hostLibc, hostTarget, platformPackageName, targetId, type NativeTarget, type PlatformFileResult } from './native/platform-package.js';
