/**
 * Versions written into exported events.
 *
 * @module
 */

/** Version of edrkit written to OCSF `metadata.product.version` and ECS `agent.version`. Kept equal to package.json by a test. */
export const EDRKIT_VERSION = '0.1.0';

/**
 * The OCSF schema version the OCSF mapping targets (`metadata.version`). It is the version of the
 * schema snapshot the mapping is validated against in tests; every class and attribute used here
 * also exists in OCSF 1.6 and later (`launch_type_id` and Network Activity `Listen` are the newest).
 */
export const OCSF_SCHEMA_VERSION = '1.9.0-dev';

/** The Elastic Common Schema version the ECS mapping follows (`ecs.version`). */
export const ECS_VERSION = '8.17.0';
