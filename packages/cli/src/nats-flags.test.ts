import { DEFAULT_STREAM as OUTPUT_STREAM, DEFAULT_SUBJECT_PREFIX as OUTPUT_PREFIX } from '@edrkit/output';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STREAM, DEFAULT_SUBJECT_PREFIX } from './nats-flags.js';

describe('nats-flags', () => {
  it("help texts name @edrkit/output's defaults (kept here so registering a command does not load the NATS client)", () => {
    expect(DEFAULT_STREAM).toBe(OUTPUT_STREAM);
    expect(DEFAULT_SUBJECT_PREFIX).toBe(OUTPUT_PREFIX);
  });
});
