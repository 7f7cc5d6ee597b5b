/**
 * End to end: the edrkit recordings shipped in examples/ (JSON Lines, read with core's
 * `readRecording`) export to OCSF records that validate against the OCSF schema, and to
 * ECS documents that conform.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readImport, readRecording, type EdrEvent } from '@edrkit/core';
import { esloggerImportFormat } from '@edrkit/macos';
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
    const check = (event: EdrEvent, line: number) => {
      count++;
      expect(validateOcsf(schema, toOCSF(event, { hostname: 'replay-host' })), `line ${line}`).toEqual([]);
      expect(validateEcs(toECS(event)), `line ${line}`).toEqual([]);
    };
    if (path.basename(file).startsWith('eslogger-')) {
      // A saved eslogger capture (macOS): its events, imported, export as cleanly.
      for await (const r of readImport(file, esloggerImportFormat, { maxRecordBytes: 1 << 24 })) {
        expect(r.ok, `record ${r.record}`).toBe(true);
        if (r.ok) for (const e of r.events) check({ ...e, seq: count + 1 } as EdrEvent, r.line);
      }
    } else {
      for await (const line of readRecording(file)) {
        if (!line.ok) continue; // recordings may hold deliberately bad lines; core's tests cover those
        check(line.event, line.line);
      }
    }
    expect(count).toBeGreaterThan(0);
  });
});
