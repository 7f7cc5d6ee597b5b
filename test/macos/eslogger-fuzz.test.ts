// Fuzzed and truncated eslogger input: the decoder returns valid events or throws an
// EsRecordError naming a path; through the import reader every bad record is one invalid
// record with its number, and the good records around it still come through.
import { Readable } from 'node:stream';
import { readImport, safeParseEvent } from '@edrkit/core';
import { EsMessageDecoder, EsRecordError, esloggerImportFormat } from '@edrkit/macos';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { file, message, proc, type Json } from './es-messages.js';

const samples: Json[] = [
  message('exec', { target: proc('/bin/ls', { pid: 5 }, 9), args: ['ls', '-l'], cwd: file('/tmp') }),
  message('fork', { child: proc('/bin/zsh', { pid: 6 }, 10) }, { version: 10 }),
  message('rename', { source: file('/a'), destination_type: 1, destination: { new_path: { dir: file('/b'), filename: 'c' } } }),
  message('openssh_login', { success: false, result_type: 4, source_address_type: 1, source_address: '192.0.2.1', username: 'x', has_uid: false }),
  message('btm_launch_item_add', { item: { item_type: 4, uid: 0, item_url: 'file:///Library/LaunchDaemons/a.plist' }, executable_path: '/x' }),
  message('mount', { statfs: { f_mntonname: '/Volumes/A', f_flags: 513 } }),
];

/** Replace one value somewhere in `v` (by a path chosen from the generator) with `replacement`. */
function mutate(v: unknown, choices: number[], replacement: unknown): unknown {
  if (choices.length === 0 || typeof v !== 'object' || v === null) return replacement;
  const [c, ...rest] = choices;
  if (Array.isArray(v)) {
    if (v.length === 0) return replacement;
    const i = c! % v.length;
    return v.map((x, j) => (j === i ? mutate(x, rest, replacement) : x));
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return replacement;
  const k = keys[c! % keys.length]!;
  return { ...(v as Json), [k]: mutate((v as Json)[k], rest, replacement) };
}

describe('eslogger decoder under fuzzing', () => {
  it('valid events or an EsRecordError, never anything else', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: samples.length - 1 }), fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue(), (i, path, replacement) => {
        const m = mutate(samples[i], path, replacement);
        try {
          for (const e of new EsMessageDecoder().decode(m, { input: 'f', record: 1, line: 1 }).events) {
            const r = safeParseEvent({ ...e, seq: 0 });
            if (!r.ok) throw new Error(`invalid draft: ${r.error.message}`);
          }
        } catch (err) {
          if (!(err instanceof EsRecordError)) throw err;
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('truncated and garbled lines are invalid records; the rest decode', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 400 }), fc.uint8Array({ maxLength: 40 }), async (cut, junk) => {
        const good = JSON.stringify(samples[0]);
        const input = [good, good.slice(0, cut), Buffer.from(junk).toString('latin1').replace(/\n/g, ' '), good].join('\n');
        const records = [];
        for await (const r of readImport(Readable.from([Buffer.from(input, 'latin1')]), esloggerImportFormat, { maxRecordBytes: 1 << 20, inputName: 'cap.jsonl' })) records.push(r);
        expect(records[0]!.ok).toBe(true);
        expect(records.at(-1)!.ok).toBe(true);
        for (const r of records) if (!r.ok) expect(r.error.message).toMatch(/^cap\.jsonl:line \d+: invalid event: eslogger record \d+: /);
      }),
      { numRuns: 200 },
    );
  });
});
