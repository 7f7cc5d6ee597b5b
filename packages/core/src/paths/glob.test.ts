import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { compileGlob } from './glob.js';

const posix = { backslashSeparates: false, caseSensitive: true };
const windows = { backslashSeparates: true, caseSensitive: false };
const m = (glob: string, path: string, o = posix) => compileGlob(glob, 'exe', o).test(o.backslashSeparates ? path.replaceAll('\\', '/') : path);

describe('compileGlob', () => {
  it('** is zero or more components, also at the root and at the end', () => {
    expect(m('/**/a', '/a')).toBe(true);
    expect(m('/**/a', '/x/y/a')).toBe(true);
    expect(m('/*/**', '/a')).toBe(true);
    expect(m('/x/**', '/x/y/z')).toBe(true);
    expect(m('**/python3*', '/usr/bin/python3.12')).toBe(true);
    expect(m('/x/**/y', '/x/y')).toBe(true);
    expect(m('/x/**/y', '/xy')).toBe(false);
  });
  it('* and ? stay within a component and match dot files', () => {
    expect(m('/home/*/.bashrc', '/home/alice/.bashrc')).toBe(true);
    expect(m('/home/*', '/home/a/b')).toBe(false);
    expect(m('/tmp/?', '/tmp/.')).toBe(true);
    expect(m('/tmp/?', '/tmp/ab')).toBe(false);
  });
  it('classes: ranges, negation, a leading ], never a separator', () => {
    expect(m('/tmp/[a-c]x', '/tmp/bx')).toBe(true);
    expect(m('/tmp/[!a-c]x', '/tmp/dx')).toBe(true);
    expect(m('/tmp/[^a-c]x', '/tmp/ax')).toBe(false);
    expect(m('/tmp/[]]', '/tmp/]')).toBe(true);
    expect(m('/tmp/[a-]', '/tmp/-')).toBe(true);
    expect(m('/tmp[!a]x', '/tmp/x')).toBe(false);
    expect(m('/tmp/[ab', '/tmp/[ab')).toBe(true); // unclosed: literal
  });
  it('braces expand, nest, and may hold separators', () => {
    expect(m('/usr/{bin,sbin}/*', '/usr/sbin/ip')).toBe(true);
    expect(m('/{a,b/{c,d}}/x', '/b/d/x')).toBe(true);
    expect(m('/{a,b}/x', '/c/x')).toBe(false);
    expect(m('/a{/x', '/a{/x')).toBe(true);
  });
  it('POSIX: \\ escapes; Windows: \\ separates and ( ) ! + @ $ are literal', () => {
    expect(m('/tmp/\\*', '/tmp/*')).toBe(true);
    expect(m('/tmp/\\*', '/tmp/a')).toBe(false);
    expect(m('c:\\windows\\system32\\*', 'C:\\Windows\\System32\\cmd.exe', windows)).toBe(true);
    expect(m('C:\\Program Files (x86)\\*\\*.exe', 'c:\\program files (x86)\\t\\T.EXE', windows)).toBe(true);
    expect(m('C:\\a+b!c@d$\\*', 'C:\\A+B!C@D$\\x', windows)).toBe(true);
  });
  it('bad globs throw InvalidArgumentError naming the option; any string either compiles or does that (fuzz)', () => {
    expect(() => compileGlob('/tmp/[z-a]', 'paths', posix)).toThrow(/filter\.paths: glob "\/tmp\/\[z-a\]" is invalid/);
    expect(() => compileGlob('/{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}', 'exe', posix)).toThrow(/more than 256 alternatives/);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '*', '?', '[', ']', '{', '}', ',', '!', '^', '-', '\\', '/', '(', ')', '|', '.', '$') }), fc.boolean(), (glob, bs) => {
        try {
          compileGlob(glob, 'exe', { backslashSeparates: bs, caseSensitive: false }).test('/a/b');
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidArgumentError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
