/**
 * `@edrkit/core`: the edrkit event model, the Sensor API, the Backend interface,
 * filters, the bounded queue with drop accounting, and record/replay. The Sensor's building
 * blocks (queue, process table, line reader, hasher) are in `@edrkit/core/internal`.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './events/schema.js';
export * from './events/parse.js';
export * from './backend.js';
export * from './backend-table.js';
export * from './probe-error.js';
export type { EventFilter } from './sensor/filter.js';
export { OVERFLOW_POLICIES, type OverflowPolicy } from './sensor/event-queue.js';
export * from './paths/platform-paths.js';
export * from './paths/path-match.js';
export * from './sensor/sensor.js';
export * from './sensor/open-sensor.js';
export * from './replay/import-format.js';
export * from './replay/read-import.js';
export * from './replay/json-values.js';
export * from './replay/read-recording.js';
export * from './replay/recording-writer.js';
export * from './replay/replay-backend.js';
export * from './replay/replay-descriptor.js';
export * from './events/json-schema.js';
export * from './version.js';
export { HASH_ALGORITHMS, type HashAlgorithm, type HashOptions, type FileFacts } from './enrich/file-hasher.js';
