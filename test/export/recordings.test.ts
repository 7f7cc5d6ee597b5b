/**
 * End to end: the edrkit recordings shipped in examples/ (JSON Lines, read with core's
 * `readRecording`) export to OCSF records that validate against the OCSF schema, and to
 * ECS documents that conform.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRecording } from '@edrkit/core';
import { toECS, toOCSF } from '@edrkit/export';
import { corpusLabel } from '../corpus.js';
import { filesUnder, HAVE_OCSF, OCSF_DIR } from './corpus.js';
import { validateEcs } from './ecs-fields.js';
import { sharedOcsfSchema } from './ocsf-schema.js';
import { validateOcsf } from './ocsf-validator.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');


const files = filesUnder(path.join(root, 'examples'), '.jsonl');

describe.skipIf(!HAVE_OCSF || files.length === 0)(corpusLabel('recordings in examples/ export cleanly', 'ocsf'), () => {
  it.each(files.map((f) => [path.relative(root, f), f]))('%s', async (_name, file) => {
    const schema = sharedOcsfSchema(OCSF_DIR);
    let count = 0;
    for await (const line of readRecording(file)) {
      if (!line.ok) continue; // recordings may hold deliberately bad lines; core's tests cover those
      count++;
      expect(validateOcsf(schema, toOCSF(line.event, { hostname: 'replay-host' })), `line ${line.line}`).toEqual([]);
      expect(validateEcs(toECS(line.event)), `line ${line.line}`).toEqual([]);
    }
    expect(count).toBeGreaterThan(0);
  });
});
