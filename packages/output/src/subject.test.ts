import { EVENT_KINDS } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { checkSubjectPrefix, eventSubject, hostToken, kindFromToken, kindToken } from './subject.js';
import { natsConnectionOptions, parseNatsServers } from './nats-connection.js';

describe('subjects', () => {
  it('maps every kind to one token and back', () => {
    for (const kind of EVENT_KINDS) {
      expect(kindToken(kind)).toMatch(/^[a-z_]+$/);
      expect(kindFromToken(kindToken(kind))).toBe(kind);
    }
  });

  it('names <prefix>.<host>.<kind> with host characters a subject cannot hold mapped', () => {
    expect(eventSubject('edrkit.events', 'web-1.example.org', 'process.exec')).toBe('edrkit.events.web-1_example_org.process_exec');
    expect(hostToken('a b*>c')).toBe('a_b__c');
    expect(hostToken('')).toBe('_');
    expect(() => checkSubjectPrefix('edrkit.*')).toThrow(/not a NATS subject/);
  });
});

describe('NATS connection options', () => {
  it('accepts nats:// and tls:// lists and names a bad URL or file', () => {
    expect(parseNatsServers('nats://127.0.0.1:4222, nats://127.0.0.1:4223')).toEqual(['nats://127.0.0.1:4222', 'nats://127.0.0.1:4223']);
    expect(() => parseNatsServers('http://x:1')).toThrow(/must start with nats:\/\/ or tls:\/\//);
    expect(() => parseNatsServers('')).toThrow(/no server URL/);
    expect(() => natsConnectionOptions({ servers: 'nats://h:1', credsFile: '/nonexistent.creds' })).toThrow(/creds file '\/nonexistent.creds': cannot read \(ENOENT\)/);
    expect(() => natsConnectionOptions({ servers: 'nats://h:1', caFile: '/nonexistent.pem' })).toThrow(/CA file/);
    expect(natsConnectionOptions({ servers: 'tls://h:1' }).tls).toEqual({});
  });
});
