import { describe, expect, it } from 'vitest';
import { macosSandboxProfile } from './macos-sandbox.js';

describe('macOS sandbox profile', () => {
  it('denies by default, allows only Node and system libraries, no network, own signals only', () => {
    const profile = macosSandboxProfile({ nodePath: '/opt/homebrew/Cellar/node/22.1.0/bin/node', readPaths: ['/opt/homebrew/Cellar/node/22.1.0/lib'] });
    expect(profile.split('\n')).toEqual([
      '(version 1)',
      '(deny default)',
      '(allow process-exec (literal "/opt/homebrew/Cellar/node/22.1.0/bin/node"))',
      '(allow file-read* (literal "/opt/homebrew/Cellar/node/22.1.0/bin/node") (subpath "/usr/lib") (subpath "/System/Library") (subpath "/Library/Apple/System/Library") (subpath "/opt/homebrew/Cellar/node/22.1.0/lib"))',
      '(allow file-read-metadata)',
      '(allow file-read* file-write-data (literal "/dev/null") (literal "/dev/urandom") (literal "/dev/random"))',
      '(allow sysctl-read)',
      '(allow mach-lookup (global-name "com.apple.system.notification_center"))',
      '(allow signal (target self))',
      '(deny process-fork)',
      '(deny network*)',
      '',
    ]);
    expect(macosSandboxProfile({ nodePath: '/usr/local/bin/node', network: true })).toContain('(allow network-outbound)');
  });

  it('escapes quotes in paths and refuses relative paths or control characters', () => {
    expect(macosSandboxProfile({ nodePath: '/Users/a"b\\c/node' })).toContain('(literal "/Users/a\\"b\\\\c/node")');
    expect(() => macosSandboxProfile({ nodePath: 'node' })).toThrow(/absolute path/);
    expect(() => macosSandboxProfile({ nodePath: '/x\n(allow default)' })).toThrow(/control characters/);
  });
});
