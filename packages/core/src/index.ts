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
export * from './sensor/filter.js';
