import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitCommandLine } from './command-line.js';

/** Quote one argument so CommandLineToArgvW gives it back (the inverse rules, as documented by Microsoft). */
function quote(arg: string): string {
  if (arg !== '' && !/[ \t"]/.test(arg)) return arg;
  let out = '"';
  for (let i = 0; i < arg.length; ) {
    let slashes = 0;
    while (arg[i] === '\\') slashes++, i++;
    if (i === arg.length) out += '\\'.repeat(slashes * 2);
    else if (arg[i] === '"') (out += '\\'.repeat(slashes * 2 + 1) + '"'), i++;
    else (out += '\\'.repeat(slashes) + arg[i]), i++;
  }
  return `${out}"`;
}

describe('splitCommandLine (CommandLineToArgvW rules)', () => {
  it('splits the examples of the Microsoft C runtime documentation', () => {
    expect(splitCommandLine('test "a b c" d e')).toEqual(['test', 'a b c', 'd', 'e']);
    expect(splitCommandLine('test "ab\\"c" "\\\\" d')).toEqual(['test', 'ab"c', '\\', 'd']);
    expect(splitCommandLine('test a\\\\\\b d"e f"g h')).toEqual(['test', 'a\\\\\\b', 'de fg', 'h']);
    expect(splitCommandLine('test a\\\\\\"b c d')).toEqual(['test', 'a\\"b', 'c', 'd']);
    expect(splitCommandLine('test a\\\\\\\\"b c" d e')).toEqual(['test', 'a\\\\b c', 'd', 'e']);
    expect(splitCommandLine('test a"b"" c d')).toEqual(['test', 'ab" c d']);
  });

  it('reads the program name without escapes, quoted or not', () => {
    expect(splitCommandLine('"C:\\Program Files (x86)\\Tool\\tool.exe" /s')).toEqual(['C:\\Program Files (x86)\\Tool\\tool.exe', '/s']);
    expect(splitCommandLine('C:\\Windows\\system32\\cmd.exe /c "echo hi"')).toEqual(['C:\\Windows\\system32\\cmd.exe', '/c', 'echo hi']);
    expect(splitCommandLine('cmdkey  /list')).toEqual(['cmdkey', '/list']);
    expect(splitCommandLine('"unterminated')).toEqual(['unterminated']);
    expect(splitCommandLine('')).toEqual(['']);
  });

  it('gives back any arguments quoted the documented way (fuzzed)', () => {
    const arg = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\t', '"', '\\', 'é', '😀'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 6 }), (args) => {
        expect(splitCommandLine(['prog.exe', ...args.map(quote)].join(' '))).toEqual(['prog.exe', ...args]);
      }),
      { numRuns: 2000 },
    );
  });
});
