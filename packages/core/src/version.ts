/**
 * The version of edrkit's core, written into `sensor.start` / `sensor.stop`.
 *
 * @module
 */

/** Version of @edrkit/core. Kept equal to its package.json by a test. */
export const EDRKIT_CORE_VERSION = '0.1.0';
