/**
 * `@edrkit/core`: the edrkit event model, the Sensor API, the Backend interface,
 * filters, the bounded queue with drop accounting, and record/replay.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './events/schema.js';
export * from './events/parse.js';
export * from './backend.js';
export * from './backend-table.js';
export * from './probe-error.js';
export * from './sensor/filter.js';
export * from './sensor/event-queue.js';
export * from './sensor/process-table.js';
export * from './sensor/sensor.js';
export * from './sensor/open-sensor.js';
export * from './replay/read-recording.js';
export * from './replay/utf8.js';
export * from './replay/line-reader.js';
export * from './replay/recording-writer.js';
export * from './replay/replay-backend.js';
export * from './replay/replay-descriptor.js';
export * from './events/json-schema.js';
export * from './version.js';
export * from './enrich/file-hasher.js';
export * from './enrich/hashing-backend.js';
