/**
 * The macOS decoding path: eslogger messages → edrkit events. `decode` is the mapping alone
 * (parsed messages, as the addon's and eslogger's records are after JSON.parse); `import` is the
 * whole path the backends and `--input-format eslogger` take: bounded line framing, UTF-8 check,
 * JSON.parse, mapping and schema validation of every event. Goal: well above the tens of
 * thousands of messages per second a busy Mac's Endpoint Security produces.
 */
import { Readable } from 'node:stream';
import { readImport } from '@edrkit/core';
import { EsMessageDecoder, esloggerImportFormat } from '@edrkit/macos';
import { CAPTURE, captureText } from '../test/macos/capture.js';

type Row = Record<string, string | number>;

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  const rounds = 5000;
  const decoder = new EsMessageDecoder();
  const msgs = CAPTURE.map((m) => JSON.parse(JSON.stringify(m)) as unknown);
  let t = performance.now();
  for (let i = 0; i < rounds; i++) for (const m of msgs) decoder.decode(m);
  let s = (performance.now() - t) / 1000;
  rows.push({ path: 'decode (parsed messages)', messages: rounds * msgs.length, 'messages/s': Math.round((rounds * msgs.length) / s) });

  const text = captureText().repeat(rounds);
  const bytes = Buffer.byteLength(text);
  t = performance.now();
  let events = 0;
  for await (const r of readImport(Readable.from([Buffer.from(text)]), esloggerImportFormat, { maxRecordBytes: 1 << 24 })) if (r.ok) events += r.events.length;
  s = (performance.now() - t) / 1000;
  rows.push({ path: 'import (frame, parse, map, validate)', messages: rounds * msgs.length, 'messages/s': Math.round((rounds * msgs.length) / s), 'MB/s': bytes / s / 1e6, events });
  return rows;
}
