/**
 * `@edrkit/export`: edrkit events as OCSF 1.x records ({@link toOCSF}) and Elastic Common
 * Schema documents ({@link toECS}). The mapping of every kind is in docs/events.md.
 *
 * @packageDocumentation
 */
export { toOCSF } from './ocsf/to-ocsf.js';
export type * from './ocsf/types.js';
export { OCSF_CLASSES } from './ocsf/catalog.js';
export { toECS } from './ecs/to-ecs.js';
export type * from './ecs/types.js';
export type { ExportOptions } from './options.js';
export { EDRKIT_VERSION, OCSF_SCHEMA_VERSION, ECS_VERSION } from './version.js';
