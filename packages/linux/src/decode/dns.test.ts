import { describe, expect, it } from 'vitest';
import { parseDnsQuestion } from './dns.js';
import { dnsQuery } from './record-builder.js';

describe('parseDnsQuestion', () => {
  it('reads the name and type of a query', () => {
    expect(parseDnsQuestion(dnsQuery('example.com', 1))).toEqual({ query: 'example.com', type: 'A' });
    expect(parseDnsQuestion(dnsQuery('www.Example.org', 28))).toEqual({ query: 'www.Example.org', type: 'AAAA' });
    expect(parseDnsQuestion(dnsQuery('x.test', 4242))).toEqual({ query: 'x.test', type: 'TYPE4242' });
  });

  it('rejects responses, truncated and malformed messages', () => {
    const resp = dnsQuery('example.com');
    resp[2] = 0x81;
    expect(parseDnsQuestion(resp)).toBeUndefined();
    expect(parseDnsQuestion(dnsQuery('example.com').subarray(0, 20))).toBeUndefined();
    const ptr = dnsQuery('example.com');
    ptr[12] = 0xc0;
    expect(parseDnsQuestion(ptr)).toBeUndefined();
    expect(parseDnsQuestion(new Uint8Array(0))).toBeUndefined();
  });

  it('escapes non-printable label bytes', () => {
    const q = dnsQuery('ab.c');
    q[13] = 0x01;
    expect(parseDnsQuestion(q)?.query).toBe('\\001b.c');
  });
});
