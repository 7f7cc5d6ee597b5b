/**
 * `openSensor()` with automatic backend choice: the one call a product makes.
 *
 * @module
 */
import { openSensor as openCoreSensor, type Backend, type Sensor, type SensorOptions } from '@edrkit/core';
import { createBackend, type CreateBackendOptions } from './backends.js';

/** Options of {@link openSensor}: core's options, with `backend` optional or a name. */
export interface AutoSensorOptions extends Omit<SensorOptions, 'backend'> {
  /**
   * A backend instance, a name (`linux-ebpf`, `replay`, …) or `auto` (default): the live
   * backend of this platform. A named backend that cannot run here throws; there is no fallback.
   */
  backend?: Backend | string;
  /** Constructor options when `backend` is a name (e.g. `{ replay: { path } }`). */
  backendConfig?: CreateBackendOptions;
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
  const { backend = 'auto', backendConfig, ...rest } = options;
  const instance = typeof backend === 'string' ? await createBackend(backend, backendConfig) : backend;
  return openCoreSensor({ ...rest, backend: instance });
}
