// `edrkit replay --input-format eslogger` and `edrkit detect --replay … --input-format eslogger`
// on a capture written for the tests (test/macos/capture.ts), read from stdin.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureText } from '../macos/capture.js';
import { edrkit } from './cli-helpers.js';

describe('edrkit with eslogger input', () => {
  it('replay maps the capture to macOS events', async () => {
    const r = await edrkit(['replay', '-', '--input-format', 'eslogger', '--format', 'json'], { stdin: captureText() });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; platform: string; source: string; process?: { exe: string } });
    expect(events.map((e) => e.kind)).toEqual(['process.exec', 'process.fork', 'process.exec', 'file.create', 'service.create', 'process.exit']);
    expect(new Set(events.map((e) => `${e.platform}/${e.source}`))).toEqual(new Set(['macos/macos-eslogger']));
  });

  it('detect runs a macOS rule on it', async () => {
    const rules = mkdtempSync(path.join(tmpdir(), 'edrkit-rules-'));
    writeFileSync(
      path.join(rules, 'daemon.yml'),
      ['title: Launch daemon written by base64', 'id: 5d2e2f3a-0000-4000-8000-000000000001', 'logsource:', '  category: file_event', '  product: macos', 'detection:', '  sel:', "    TargetFilename|startswith: '/Library/LaunchDaemons/'", "    Image: '/usr/bin/base64'", '  condition: sel', 'level: high', ''].join('\n'),
    );
    const r = await edrkit(['detect', '--replay', '-', '--input-format', 'eslogger', '--rules', rules, '--format', 'json'], { stdin: captureText() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Launch daemon written by base64');
  });

  it('names the accepted formats for an unknown one', async () => {
    const r = await edrkit(['replay', '-', '--input-format', 'esloger']);
    expect(r.stderr).toMatch(/'esloger' is not supported; supported: edrkit .*eslogger \(macOS eslogger JSON Lines/);
  });
});
