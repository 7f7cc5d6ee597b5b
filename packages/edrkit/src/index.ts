/**
 * `edrkit`: the open low-level security API layer for Node.js. Everything from
 * `@edrkit/core`, plus `openSensor()` that picks this platform's backend.
 *
 * @packageDocumentation
 */
export * from '@edrkit/core';
export { openSensor, type AutoSensorOptions } from './open.js';
export * from './backends.js';
