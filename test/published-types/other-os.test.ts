// On macOS or Windows the `edrkit` package never imports @edrkit/linux (so never loads its
// addon): a child process that pretends to be darwin, with module hooks that fail any import
// of the Linux package, opens sensors and lists backends.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const script = `
Object.defineProperty(process, 'platform', { value: 'darwin' });
const { openSensor, backends, listBackends } = await import('edrkit');
const code = (p) => p.then(() => 'opened', (e) => e.code + ': ' + e.message);
console.log(JSON.stringify({
  auto: await code(openSensor({})),
  linux: await code(openSensor({ backend: 'linux-ebpf' })),
  ids: backends.ids,
  doctor: (await listBackends()).map((b) => [b.id, b.available, b.reason]),
}));`;

describe('edrkit on another OS', () => {
  it('lists linux-ebpf without importing @edrkit/linux, and refuses it with the reason', () => {
    const hooks = resolve(import.meta.dirname, 'fixtures/forbid-linux.mjs');
    const r = spawnSync(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', '--import', hooks, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { auto: string; linux: string; ids: string[]; doctor: unknown[] };
    expect(out.ids).toEqual(['linux-ebpf', 'windows-etw', 'windows-eventlog', 'windows-minifilter', 'macos-eslogger', 'macos-es', 'replay']);
    // auto is macos-eslogger, which says what is missing on this pretend Mac (no /usr/bin/eslogger).
    expect(out.auto).toMatch(/^ERR_NOT_SUPPORTED: backend 'macos-eslogger' is unavailable: eslogger not found at \/usr\/bin\/eslogger/);
    expect(out.linux).toBe("ERR_NOT_SUPPORTED: backend 'linux-ebpf' is unavailable: it runs on linux only (this is darwin)");
    expect(out.doctor).toEqual([
      ['linux-ebpf', false, 'runs on linux only (this is darwin)'],
      ['windows-etw', false, 'runs on windows only (this is darwin)'],
      ['windows-eventlog', false, 'runs on windows only (this is darwin)'],
      ['windows-minifilter', false, 'runs on windows only (this is darwin)'],
      ['macos-eslogger', false, expect.stringMatching(/^eslogger not found at \/usr\/bin\/eslogger/)],
      ['macos-es', false, expect.stringMatching(/^the macos-es addon is missing .*npm run build:native -w @edrkit\/macos/)],
    ]);
  });
});
