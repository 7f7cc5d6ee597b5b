import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAddon, requireBpfObject } from './load-addon.js';

describe('native files', () => {
  it('a missing addon is ERR_NATIVE_MISSING naming the files looked for and the build command', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'edrkit-noaddon-'));
    expect(() => loadAddon(empty)).toThrow(
      expect.objectContaining({
        code: 'ERR_NATIVE_MISSING',
        message: expect.stringMatching(new RegExp(`looked for ${empty}/build/Release/edrkit_linux\\.node .*npm run build:native`)),
      }),
    );
  });

  it('a missing BPF object is ERR_NATIVE_MISSING naming it and the build command', () => {
    expect(() => requireBpfObject('/nonexistent/edrkit.bpf.o')).toThrow(
      expect.objectContaining({ code: 'ERR_NATIVE_MISSING', message: expect.stringMatching(/\/nonexistent\/edrkit\.bpf\.o is missing: build it with 'npm run build:native'/) }),
    );
  });
});
