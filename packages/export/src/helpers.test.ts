import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIpLiteral, isUnspecifiedIp } from './net.js';
import { canonicalRegType, parseRegInteger, splitHive } from './registry-data.js';
import { MAX_ISO_MS, beyondIso, losesPrecision, toIntegerMs, toIsoMicros } from './time.js';
import { compact, Leftovers } from './unmapped.js';
import { EDRKIT_VERSION } from './version.js';

describe('time', () => {
  it('cuts sub-millisecond digits and says when it did', () => {
    expect(toIntegerMs(1714564802000.999)).toBe(1714564802000);
    expect(losesPrecision(1714564802000.5)).toBe(true);
    expect(losesPrecision(1714564802000)).toBe(false);
  });
  it('writes RFC 3339 with microseconds', () => {
    expect(toIsoMicros(1714564800123.456)).toBe('2024-05-01T12:00:00.123456Z');
    expect(toIsoMicros(0)).toBe('1970-01-01T00:00:00.000000Z');
  });
  it('clamps times past year 9999 instead of throwing', () => {
    expect(toIsoMicros(Number.MAX_VALUE)).toBe('9999-12-31T23:59:59.999000Z');
    expect(beyondIso(MAX_ISO_MS + 1)).toBe(true);
    fc.assert(fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (ms) => {
      expect(toIsoMicros(ms)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(Number.isSafeInteger(toIntegerMs(ms))).toBe(true);
    }));
  });
});

describe('net', () => {
  it('accepts IP literals only', () => {
    expect(isIpLiteral('10.0.0.1')).toBe(true);
    expect(isIpLiteral('fe80::1%eth0')).toBe(true);
    expect(isIpLiteral('example.com')).toBe(false);
    expect(isIpLiteral('')).toBe(false);
    expect(isUnspecifiedIp('::')).toBe(true);
  });
});

describe('registry data', () => {
  it('normalises value types', () => {
    expect(canonicalRegType('dword')).toBe('REG_DWORD');
    expect(canonicalRegType('REG_SZ')).toBe('REG_SZ');
    expect(canonicalRegType('weird type!')).toBeUndefined();
  });
  it('parses Sysmon, hex and decimal integers of integer types only', () => {
    expect(parseRegInteger('REG_DWORD', 'DWORD (0x00000001)')).toBe(1);
    expect(parseRegInteger('REG_QWORD', '0x10')).toBe(16);
    expect(parseRegInteger('REG_DWORD', '42')).toBe(42);
    expect(parseRegInteger('REG_SZ', '42')).toBeUndefined();
    expect(parseRegInteger('REG_QWORD', '0xffffffffffffffffff')).toBeUndefined();
  });
  it('splits hives in every spelling', () => {
    expect(splitHive('HKLM\\SOFTWARE\\X')).toEqual({ hive: 'HKLM', rest: 'SOFTWARE\\X' });
    expect(splitHive('\\REGISTRY\\MACHINE\\SYSTEM')).toEqual({ hive: 'HKLM', rest: 'SYSTEM' });
    expect(splitHive('HKEY_CURRENT_USER\\Software')).toEqual({ hive: 'HKCU', rest: 'Software' });
    expect(splitHive('\\REGISTRY\\USER\\S-1-5-18')).toEqual({ hive: 'HKU', rest: 'S-1-5-18' });
    expect(splitHive('HKLMX\\a')).toEqual({ hive: undefined, rest: 'HKLMX\\a' });
  });
});

describe('leftovers', () => {
  it('keeps defined values and compacts undefined away', () => {
    const l = new Leftovers();
    expect(l.toObject()).toBeUndefined();
    l.add('a', undefined);
    l.add('b.c', 0);
    expect(l.toObject()).toEqual({ 'b.c': 0 });
    expect(compact({ a: undefined, b: [{ c: undefined, d: 1 }] })).toEqual({ b: [{ d: 1 }] });
  });
});

it('EDRKIT_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(EDRKIT_VERSION).toBe(pkg.version);
});
