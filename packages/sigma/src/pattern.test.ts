import { describe, expect, it } from 'vitest';
import { compilePattern, formatPattern, parsePattern, wrapPattern } from './pattern.js';

const match = (pattern: string, value: string, cased = false) => compilePattern({ tokens: parsePattern(pattern), cased })(value);

describe('Sigma string wildcards and escapes (spec: String Wildcard, Escape Character)', () => {
  it('? replaces one mandatory character, * any run', () => {
    expect(match('prog?.exe', 'progA.exe')).toBe(true);
    expect(match('prog?.exe', 'progB.exe')).toBe(true);
    expect(match('prog?.exe', 'prog.exe')).toBe(false);
    expect(match('prog?.exe', 'progAB.exe')).toBe(false);
    expect(match('antivirus_V*.exe', 'antivirus_V1.exe')).toBe(true);
    expect(match('antivirus_V*.exe', 'antivirus_V21.2.1.exe')).toBe(true);
    expect(match('antivirus_V*.exe', 'antivirus_W1.exe')).toBe(false);
  });

  it('plain backslash not followed by a wildcard: single or double both mean one backslash', () => {
    expect(match('C:\\Windows\\System32', 'C:\\Windows\\System32')).toBe(true);
    expect(match('C:\\\\Windows', 'C:\\Windows')).toBe(true);
  });

  it('\\* and \\? are plain characters', () => {
    expect(match('a\\*b', 'a*b')).toBe(true);
    expect(match('a\\*b', 'axxb')).toBe(false);
    expect(match('what\\?', 'what?')).toBe(true);
    expect(match('what\\?', 'whatx')).toBe(false);
  });

  it('\\\\* is a backslash followed by a wildcard', () => {
    expect(match('C:\\\\*', 'C:\\anything')).toBe(true);
    expect(match('C:\\\\*', 'C:anything')).toBe(false);
  });

  it('\\\\\\* is a plain backslash and a plain star', () => {
    expect(match('a\\\\\\*', 'a\\*')).toBe(true);
    expect(match('a\\\\\\*', 'a\\x')).toBe(false);
  });

  it('four backslashes are a plain double backslash', () => {
    expect(parsePattern('\\\\\\\\')).toEqual([
      { t: 'lit', c: '\\' },
      { t: 'lit', c: '\\' },
    ]);
    expect(match('a\\\\\\\\b', 'a\\\\b')).toBe(true);
  });

  it('matches case-insensitively unless cased', () => {
    expect(match('WhoAmI.exe', 'whoami.EXE')).toBe(true);
    expect(match('WhoAmI.exe', 'whoami.EXE', true)).toBe(false);
    expect(match('*Foo?bar*', 'xxfooXBARyy')).toBe(true);
  });

  it('fast paths agree with the general matcher', () => {
    expect(match('*mid*', 'a mid b')).toBe(true);
    expect(match('start*', 'STARTING')).toBe(true);
    expect(match('*end', 'THE END')).toBe(true);
    expect(match('*', '')).toBe(true);
    expect(match('', '')).toBe(true);
    expect(match('', 'x')).toBe(false);
  });

  it('wrapPattern does not double stars and formatPattern round-trips', () => {
    expect(formatPattern(wrapPattern(parsePattern('*a'), true, true))).toBe('*a*');
    expect(formatPattern(parsePattern('a\\*b?c'))).toBe('a\\*b?c');
  });

  it('treats regex metacharacters literally', () => {
    expect(match('a.b(c)[d]{1}|e+$^/-', 'a.b(c)[d]{1}|e+$^/-')).toBe(true);
    expect(match('a.b*', 'axbc')).toBe(false);
  });
});
