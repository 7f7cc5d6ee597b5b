import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Platform } from '../events/schema.js';
import { compilePathMatcher } from './path-match.js';

/**
 * The reference: a straightforward recursive matcher of the documented rules, over paths
 * split into components. `*` is any run within one component, `?` one character of it,
 * a `**` component any number of components; a pattern without `*`/`?` is a prefix;
 * off Linux, letters compare lower-cased (the alphabet below has no case-folding surprises).
 */
function reference(pattern: string, path: string, platform: Platform): boolean {
  const windows = platform === 'windows';
  const fold = (s: string) => (platform === 'linux' ? s : s.toLowerCase());
  const norm = (s: string) => fold(windows ? s.replaceAll('\\', '/') : s);
  const p = norm(pattern);
  const s = norm(path);
  if (!/[*?]/.test(p)) return s.startsWith(p);
  const pSeg = p.split('/');
  const sSeg = s.split('/');
  const seg = (pi: number, si: number): boolean => {
    if (pi === pSeg.length) return si === sSeg.length;
    if (pSeg[pi] === '**') {
      for (let k = si; k <= sSeg.length; k++) if (seg(pi + 1, k)) return true;
      return false;
    }
    return si < sSeg.length && component(pSeg[pi] as string, sSeg[si] as string) && seg(pi + 1, si + 1);
  };
  return seg(0, 0);
}

function component(p: string, s: string): boolean {
  if (p === '') return s === '';
  const c = p[0] as string;
  if (c === '*') {
    for (let k = 0; k <= s.length; k++) if (component(p.slice(1), s.slice(k))) return true;
    return false;
  }
  if (s === '') return false;
  return (c === '?' || c === s[0]) && component(p.slice(1), s.slice(1));
}

const component_ = (chars: string[]) => fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 4 }).map((a) => a.join(''));

describe('compilePathMatcher', () => {
  it('windows: case-insensitive, \\ separates and never escapes, ( ) literal', () => {
    const m = compilePathMatcher(['c:\\windows\\system32\\*'], 'exe', 'windows');
    expect(m('C:\\Windows\\System32\\cmd.exe')).toBe(true);
    expect(m('C:/WINDOWS/system32/CMD.EXE')).toBe(true);
    expect(m('C:\\Windows\\System32\\drivers\\etc.sys')).toBe(false);
    expect(m('C:\\Windows\\SysWOW64\\cmd.exe')).toBe(false);
    expect(compilePathMatcher(['C:\\Program Files (x86)\\*\\*.exe'], 'exe', 'windows')('c:\\program files (x86)\\Tool\\tool.EXE')).toBe(true);
    expect(compilePathMatcher(['C:\\Program Files (x86)\\'], 'exe', 'windows')('c:/program files (X86)/t.exe')).toBe(true);
  });
  it('linux: exact case, \\ escapes a glob character', () => {
    expect(compilePathMatcher(['c:\\windows\\system32\\*'], 'exe', 'linux')('C:\\Windows\\System32\\cmd.exe')).toBe(false);
    expect(compilePathMatcher(['/usr/bin/*sh'], 'exe', 'linux')('/usr/bin/bash')).toBe(true);
    expect(compilePathMatcher(['/usr/bin/*sh'], 'exe', 'linux')('/USR/bin/bash')).toBe(false);
    expect(compilePathMatcher(['/tmp/a\\*'], 'paths', 'linux')('/tmp/a*')).toBe(true);
    expect(compilePathMatcher(['/tmp/a\\*'], 'paths', 'linux')('/tmp/ab')).toBe(false);
  });
  it('macos: case-insensitive unless the volume is case-sensitive', () => {
    expect(compilePathMatcher(['/Applications/'], 'exe', 'macos')('/applications/Safari.app/x')).toBe(true);
    expect(compilePathMatcher(['/Applications/'], 'exe', 'macos', { caseSensitive: true })('/applications/Safari.app/x')).toBe(false);
    expect(compilePathMatcher(['/tmp/a\\*'], 'paths', 'macos')('/TMP/A*')).toBe(true);
  });
  it('rejects empty and non-string patterns naming the option', () => {
    expect(() => compilePathMatcher([''], 'exe', 'windows')).toThrow(/filter\.exe: expected non-empty strings/);
    expect(() => compilePathMatcher([3 as unknown as string], 'paths', 'linux')).toThrow(/filter\.paths/);
  });

  const alphabet: Record<Platform, string[]> = {
    windows: ['a', 'A', 'b', 'é', 'É', '.', ' ', '(', ')', '!', '+', '@', '$', '\\', '/'],
    macos: ['a', 'A', 'b', 'é', 'É', '.', ' ', '$', '/'],
    linux: ['a', 'A', 'b', '.', ' ', '$', '/'],
  };
  for (const platform of ['windows', 'macos', 'linux'] as const) {
    it(`${platform}: agrees with the reference matcher (fuzz)`, () => {
      const chars = alphabet[platform];
      const segChars = chars.filter((c) => c !== '/' && c !== '\\');
      const seps = platform === 'windows' ? ['\\', '/'] : ['/'];
      const pathArb = fc
        .tuple(fc.constantFrom(...seps), fc.array(fc.tuple(component_(segChars), fc.constantFrom(...seps)), { minLength: 1, maxLength: 4 }), fc.boolean())
        .map(([lead, parts, trailing]) => {
          const s = lead + parts.map(([c, sep]) => c + sep).join('');
          return trailing ? s : s.slice(0, -1);
        });
      const patternComponent = fc.oneof(component_([...segChars, '*', '?']), fc.constant('**'), fc.constant('*'));
      const globArb = fc
        .tuple(fc.constantFrom(...seps), fc.array(fc.tuple(patternComponent, fc.constantFrom(...seps)), { minLength: 1, maxLength: 4 }))
        .map(([lead, parts]) => (lead + parts.map(([c, sep]) => c + sep).join('')).slice(0, -1));
      const prefixArb = fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 8 }).map((a) => a.join(''));
      fc.assert(
        fc.property(fc.oneof(globArb, prefixArb), pathArb, (pattern, path) => {
          expect(compilePathMatcher([pattern], 'exe', platform)(path)).toBe(reference(pattern, path, platform));
        }),
        { numRuns: 2000 },
      );
    });
  }
});
