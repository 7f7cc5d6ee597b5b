/**
 * `openSensor()` with automatic backend choice: the one call a product makes.
 *
 * @module
 */
import { openSensor as openCoreSensor, type Backend, type Sensor, type SensorOptions } from '@edrkit/core';
import { createBackend } from './backends.js';

/** Options of {@link openSensor}: core's options, with `backend` optional or a name. */
export interface AutoSensorOptions extends Omit<SensorOptions, 'backend'> {
  /**
   * A backend instance, an id from the backend table (`linux-ebpf`, `replay`, one you
   * registered) or `auto` (default): the live backend of this platform. A named backend that
   * cannot run here throws; there is no fallback.
   */
  backend?: Backend | string;
  /** The named backend's options, checked by its descriptor's schema (e.g. `{ path }` for `replay`). */
  backendConfig?: unknown;
  /** The OS-API object handed to the backend's factory (a fake in tests). */
  osApi?: unknown;
}

/**
 * Open a sensor on this platform's live backend (or the one named).
 *
 * @example
 * ```ts
 * import { openSensor } from 'edrkit';
 * await using sensor = await openSensor({ kinds: ['process.exec'] });
 * sensor.on('process.exec', (e) => console.log(e.process.cmdline));
 * ```
 */
export async function openSensor(options: AutoSensorOptions = {}): Promise<Sensor> {
  const { backend = 'auto', backendConfig, osApi, ...rest } = options;
  const instance = typeof backend === 'string' ? await createBackend(backend, backendConfig, osApi) : backend;
  return openCoreSensor({ ...rest, backend: instance });
}
