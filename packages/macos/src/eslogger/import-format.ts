/**
 * The `eslogger` import format: saved `eslogger` output (`sudo eslogger exec fork … >
 * capture.jsonl`) read by the replay backend, so `edrkit replay FILE --input-format eslogger`
 * and `edrkit detect --replay FILE --input-format eslogger` work on any host.
 *
 * @module
 */
import type { ImportFormat } from '@edrkit/core';
import { EsMessageDecoder } from './decoder.js';

/** Apple `eslogger` JSON Lines (Endpoint Security messages), as an import format. */
export const esloggerImportFormat: ImportFormat = {
  name: 'eslogger',
  description: 'macOS eslogger JSON Lines (Endpoint Security messages)',
  framing: 'json-lines',
  createDecoder: () => new EsMessageDecoder({ source: 'macos-eslogger', lineage: true }),
};
