// The CLI registers every command but loads a command's heavy packages only when it runs:
// `watch` to stdout never loads Sigma, the plugin host or the NATS client (docs/cli.md).
import { describe, expect, it } from 'vitest';
import { edrkit } from './cli-helpers.js';

// A module resolution hook that reports every module the process loads, on stderr.
const hook = `data:text/javascript,${encodeURIComponent(
  "import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent('export async function resolve(s, c, n) { const r = await n(s, c); process.stderr.write(\"LOADED \" + r.url + \"\\\\n\"); return r; }'));",
)}`;
const HEAVY = /\/packages\/(sigma|plugins|output)\/|\/@nats-io\//;

async function loaded(args: string[]): Promise<{ urls: string[]; stdout: string }> {
  const r = await edrkit(args, { env: { NODE_OPTIONS: `--import ${hook}` } });
  expect(r.code).toBe(0);
  const urls = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice(7));
  expect(urls.length, 'the hook saw the modules load').toBeGreaterThan(10);
  return { urls, stdout: r.stdout };
}

describe('edrkit loads commands lazily', () => {
  it('--help lists every command without loading Sigma, plugins or the NATS client', async () => {
    const { urls, stdout } = await loaded(['--help']);
    for (const cmd of ['watch', 'record', 'replay', 'doctor', 'detect', 'sigma', 'plugin']) expect(stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    expect(urls.filter((u) => HEAVY.test(u))).toEqual([]);
  });

  it('watch, record and replay (their options) load none of them either', async () => {
    for (const cmd of ['watch', 'record', 'replay']) {
      const { urls } = await loaded([cmd, '--help']);
      expect(urls.filter((u) => HEAVY.test(u)), cmd).toEqual([]);
    }
  });

  it('the commands that need them still load them (sigma lint)', async () => {
    const { urls } = await loaded(['sigma', 'lint', '--format', 'json', 'packages/cli/content']);
    expect(urls.some((u) => /\/packages\/sigma\//.test(u))).toBe(true);
  });
});
