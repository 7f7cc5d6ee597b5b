/**
 * The backend table the CLI works with. The CLI names no backend itself (and does not depend
 * on the `edrkit` meta package, which depends on it): whoever runs it hands it the table,
 * `main(argv, { backends })` — the `edrkit` bin passes the meta package's table.
 *
 * @module
 */
import { BackendTable, EdrkitError, currentPlatform, openSensor, type Backend, type Sensor, type SensorOptions } from '@edrkit/core';

let table: BackendTable | undefined;

/** Use `backends` for every command of this process (called by `main`). */
export function useBackends(backends: BackendTable): void {
  table = backends;
}

/** The table `main` was given; throws when the CLI was started without one. */
export function cliBackends(): BackendTable {
  if (!table) {
    throw new EdrkitError('ERR_BACKEND_UNAVAILABLE', "the CLI was started without a backend table: run it as 'edrkit' (the edrkit package), or call main(argv, { backends })");
  }
  return table;
}

/** Create the backend named by `--backend` (or `auto`) from the table. */
export function createNamedBackend(id: string, options?: unknown): Promise<Backend> {
  return cliBackends().create(id, options, currentPlatform());
}

/** `openSensor` with the backend named by `--backend` (default `auto`). */
export async function openNamedSensor(options: Omit<SensorOptions, 'backend'> & { backend?: string }): Promise<Sensor> {
  const { backend = 'auto', ...rest } = options;
  return openSensor({ ...rest, backend: await createNamedBackend(backend) });
}

/** `auto, <ids>` for help texts. */
export function backendChoices(): string {
  return ['auto', ...cliBackends().ids].join(', ');
}
