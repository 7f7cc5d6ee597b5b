import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseName, dirName, extensionOf, isPathSeparator } from './platform-paths.js';

describe('platform paths', () => {
  it('splits POSIX paths on / only', () => {
    expect(baseName('/usr/bin/ls', 'linux')).toBe('ls');
    expect(dirName('/usr/bin/ls', 'linux')).toBe('/usr/bin');
    expect(dirName('/ls', 'macos')).toBe('/');
    expect(dirName('ls', 'linux')).toBeUndefined();
    expect(baseName('/tmp/a\\b', 'linux')).toBe('a\\b');
    expect(isPathSeparator('\\', 'macos')).toBe(false);
  });
  it('splits Windows paths on \\ and /, and keeps a drive root', () => {
    expect(baseName('C:\\Windows\\System32\\cmd.exe', 'windows')).toBe('cmd.exe');
    expect(dirName('C:\\Windows\\System32\\cmd.exe', 'windows')).toBe('C:\\Windows\\System32');
    expect(dirName('C:\\cmd.exe', 'windows')).toBe('C:\\');
    expect(dirName('\\\\srv\\share\\a.txt', 'windows')).toBe('\\\\srv\\share');
    expect(baseName('C:/x/y.dll', 'windows')).toBe('y.dll');
  });
  it('finds extensions but not dot files', () => {
    expect(extensionOf('/a/b.tar.gz', 'linux')).toBe('gz');
    expect(extensionOf('/home/u/.bashrc', 'linux')).toBeUndefined();
    expect(extensionOf('/a/b.', 'linux')).toBeUndefined();
    expect(extensionOf('C:\\a.b\\README', 'windows')).toBeUndefined();
  });
  it('dirName and baseName put the path back together (fuzz)', () => {
    const platforms = fc.constantFrom('linux' as const, 'macos' as const, 'windows' as const);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '.', '/', '\\', ':', 'C') }), platforms, (path, platform) => {
        const base = baseName(path, platform);
        const dir = dirName(path, platform);
        expect(path.endsWith(base)).toBe(true);
        expect([...base].some((c) => isPathSeparator(c, platform))).toBe(false);
        if (dir === undefined) expect(base).toBe(path);
        else expect(path.startsWith(dir)).toBe(true);
      }),
    );
  });
});
