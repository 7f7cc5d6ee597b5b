// Regenerates docs/schema/edrkit-event.schema.json from the zod schemas (`npm run gen:schema`).
import { writeFileSync } from 'node:fs';
import { eventJsonSchema } from '@edrkit/core';

const out = new URL('../docs/schema/edrkit-event.schema.json', import.meta.url);
writeFileSync(out, `${JSON.stringify(eventJsonSchema(), null, 2)}\n`);
console.log(`wrote ${out.pathname}`);
