/**
 * The event model as JSON Schema (draft 2020-12), generated from the zod schemas so
 * that non-TypeScript consumers (SIEM pipelines, other languages) validate the same
 * contract. The shipped copy is docs/schema/edrkit-event.schema.json.
 *
 * @module
 */
import { z } from 'zod';
import { EVENT_MODEL_VERSION, EventSchema } from './schema.js';

/** The `$id` of the published schema. */
export const EVENT_JSON_SCHEMA_ID = `https://edrkit.dev/schema/v${EVENT_MODEL_VERSION}/edrkit-event.schema.json`;

/** Generate the JSON Schema of one edrkit event. */
export function eventJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(EventSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: EVENT_JSON_SCHEMA_ID,
    title: `edrkit event (model v${EVENT_MODEL_VERSION})`,
    description: 'One edrkit event: a discriminated union on `kind`. See docs/events.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
