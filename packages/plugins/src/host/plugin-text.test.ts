import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pluginText } from './plugin-text.js';
import { TokenBucket } from './rate-limit.js';

describe('pluginText', () => {
  it('shows ANSI escapes, CR/LF and bidi overrides as visible escapes on one line', () => {
    const forged = 'ok\r\n\u001b[31medrkit: plugin good 1.0.0 failed (crash)\u001b[0m\u202e';
    expect(pluginText(forged)).toBe('ok\\r\\n\\x1b[31medrkit: plugin good 1.0.0 failed (crash)\\x1b[0m\\u202e');
  });

  it('bounds the length', () => {
    expect(pluginText('x'.repeat(10_000), 100)).toHaveLength(100);
    expect(pluginText('x'.repeat(10_000), 100).endsWith('…')).toBe(true);
  });

  it('never lets a control character or line break through (fuzzed)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        // eslint-disable-next-line no-control-regex
        expect(pluginText(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u);
      }),
    );
  });
});

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    const burst = Array.from({ length: 8 }, () => bucket.take());
    expect(burst).toEqual([true, true, true, true, true, false, false, false]);
    now += 500; // 5 tokens refilled
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });
});
