import { afterEach, describe, expect, it } from 'vitest';
import { loadCommand } from './lazy-command.js';

function sink() {
  let text = '';
  return { stream: { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

describe('loadCommand', () => {
  const before = process.exitCode;
  afterEach(() => {
    process.exitCode = before;
  });

  it('returns the loaded module', async () => {
    const err = sink();
    expect(await loadCommand('detect', async () => ({ run: 1 }), err.stream)).toEqual({ run: 1 });
    expect(err.text()).toBe('');
  });

  it('a module that cannot be loaded fails that command alone: exit 1 and one line naming it and why', async () => {
    const err = sink();
    const missing = Object.assign(new Error("Cannot find package '@edrkit/sigma' imported from /x/detect-run.js\n    at stack"), { code: 'ERR_MODULE_NOT_FOUND' });
    expect(await loadCommand('detect', () => Promise.reject(missing), err.stream)).toBeUndefined();
    expect(process.exitCode).toBe(1);
    expect(err.text()).toBe("edrkit: detect cannot run: its implementation did not load (Cannot find package '@edrkit/sigma' imported from /x/detect-run.js)\n");
  });
});
