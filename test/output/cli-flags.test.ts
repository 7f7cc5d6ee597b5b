// The fleet flags are checked before anything is opened: a bad --output, --input or size is a
// usage error (exit 2) naming the flag.
import { describe, expect, it } from 'vitest';
import { edrkit } from '../cli/cli-helpers.js';

describe('fleet flags', () => {
  it.each([
    [['watch', '--output', 'kafka://x:9092'], /--output: 'kafka:\/\/x:9092' is not - , file:PATH or nats:\/\/HOST:PORT/],
    [['watch', '--output', 'file:'], /--output file:PATH names no file/],
    [['watch', '--output', 'nats://127.0.0.1:1', '--format', 'pretty'], /--format \(with --output\): 'pretty' is not a sink format/],
    [['watch', '--output', 'nats://127.0.0.1:1', '--spool-size', 'lots'], /--spool-size: 'lots' is not a size/],
    [['watch', '--output', 'nats://127.0.0.1:1', '--nats-creds', '/nonexistent.creds'], /creds file '\/nonexistent.creds': cannot read/],
    [['detect', '--input', 'events.jsonl'], /--input: 'events.jsonl' is not nats:\/\/HOST:PORT/],
  ])('edrkit %j exits 2', async (args, message) => {
    const r = await edrkit(args as string[]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('detect --input on a server that is not there fails with ERR_NATS_UNAVAILABLE (exit 1)', async () => {
    const r = await edrkit(['detect', '--input', 'nats://127.0.0.1:1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NATS nats:\/\/127.0.0.1:1: cannot connect .*\[ERR_NATS_UNAVAILABLE\]/);
  });
});
