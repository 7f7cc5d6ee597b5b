// Every real eslogger line in the corpus (Mullvad's captures on macOS 15 and 26, Mac Monitor's
// v10 fixtures) decodes to the right kind and fields, and every draft is a valid event. The
// versions differ: audit tokens are objects up to v9 and 8-integer arrays in v10.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { safeParseEvent, type EventDraft } from '@edrkit/core';
import { EsMessageDecoder } from '@edrkit/macos';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusLabel, haveCorpus } from '../corpus.js';

const ROOT = path.join(CORPUS_DIR, 'eslogger');

/** Every eslogger line in the corpus: `.json` (one object) and `.jsonl` files, Santa's protobuf JSON left out (not eslogger output). */
function corpusLines(): Array<{ file: string; line: number; text: string }> {
  const out: Array<{ file: string; line: number; text: string }> = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'santa-telemetry-json') walk(p);
      } else if (/\.jsonl?$/.test(name)) {
        readFileSync(p, 'utf8')
          .split('\n')
          .forEach((text, i) => text.trim() && out.push({ file: path.relative(ROOT, p), line: i + 1, text }));
      }
    }
  };
  walk(ROOT);
  return out;
}

function decodeFile(rel: string): EventDraft[] {
  const text = readFileSync(path.join(ROOT, rel), 'utf8');
  const decoder = new EsMessageDecoder();
  return text.split('\n').filter((l) => l.trim()).flatMap((l, i) => decoder.decode(JSON.parse(l), { input: rel, record: i + 1, line: i + 1 }).events);
}

const ms = (iso: string, micros: number) => Date.parse(iso) + micros / 1000;

describe.skipIf(!haveCorpus('eslogger'))(corpusLabel('eslogger corpus', 'eslogger'), () => {
  it('decodes every line to valid events', () => {
    const lines = corpusLines();
    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const { file, line, text } of lines) {
      const result = new EsMessageDecoder().decode(JSON.parse(text), { input: file, record: 1, line });
      expect(result.events.length, `${file}:${line}`).toBe(1);
      for (const e of result.events) {
        const parsed = safeParseEvent({ ...e, seq: 0 }, { input: file, line });
        expect(parsed.ok ? '' : parsed.error.message, `${file}:${line}`).toBe('');
      }
    }
  });

  it('v10 (macOS 26) fork: audit tokens as 8-integer arrays, signer with cdhash, the child', () => {
    const [e] = decodeFile('mullvadvpn-app-snapshots/v10-fork-macos26.json');
    expect(e).toMatchObject({
      kind: 'process.fork',
      platform: 'macos',
      source: 'macos-eslogger',
      time: ms('2025-07-22T15:09:01.084Z', 30),
      process: {
        pid: 19745,
        ppid: 1,
        uid: 501,
        gid: 20,
        tid: 227846,
        exe: '/Applications/Mullvad VPN.app/Contents/MacOS/Mullvad VPN',
        startTime: ms('2025-07-22T15:05:14.076Z', 236),
        signer: { id: 'net.mullvad.vpn', teamId: 'CKG9MXH72F', platformBinary: false, cdhash: 'c26bc5cf81e08b87df707685a8ea3652446977f1' },
      },
      child: { pid: 21497, startTime: ms('2025-07-22T15:09:01.083Z', 979) },
      raw: { macos: { esEvent: 'fork', esVersion: 10, auditToken: { auid: 501, euid: 501, egid: 20, ruid: 501, rgid: 20, pid: 19745, asid: 100013, pidversion: 35165 } } },
    });
  });

  it('v9 (macOS 15) exec: the target image with argv and cwd, the pre-exec image in raw', () => {
    const [e] = decodeFile('mullvadvpn-app-snapshots/v9-exec-macos15.json');
    expect(e).toMatchObject({
      kind: 'process.exec',
      time: ms('2025-08-07T13:21:35.880Z', 814),
      process: {
        pid: 97391,
        ppid: 58916,
        uid: 501,
        gid: 20,
        exe: '/bin/connection-checker',
        args: ['/bin/connection-checker'],
        cmdline: '/bin/connection-checker',
        cwd: '/bin/mullvadvpn-app',
        signer: { id: 'connection_checker-04fde7bdb8bceee3', platformBinary: false, cdhash: '33f0a3d85bea260fed5cad0529ab0e84ec9a0df1' },
      },
      raw: { macos: { esEvent: 'exec', esVersion: 9, preExec: { exe: '/bin/nu', signer: { id: 'nu-b9fb5b9dbba2e494' } }, auditToken: { pid: 97391, pidversion: 149092 }, responsiblePid: 938 } },
    });
    // team_id null: an ad-hoc signature has no team.
    expect((e as Extract<EventDraft, { kind: 'process.exec' }>).process.signer).not.toHaveProperty('teamId');
  });

  it('v9 exit: exit status 0 of a platform binary', () => {
    const [e] = decodeFile('mullvadvpn-app-snapshots/v9-exit-macos15.json');
    expect(e).toMatchObject({ kind: 'process.exit', exitCode: 0, process: { pid: 11221, ppid: 532, uid: 0, exe: '/usr/sbin/ipconfig', signer: { id: 'com.apple.ipconfig', platformBinary: true } } });
    expect(e).not.toHaveProperty('signal');
  });

  it('v10 exit (object tokens): a wait status of 9 is death by SIGKILL', () => {
    const [e] = decodeFile('mac-monitor-fixtures/ProjectSutro/SutroESFrameworkTests/Fixtures/eslogger-exit.jsonl');
    expect(e).toMatchObject({ kind: 'process.exit', signal: 9, process: { pid: 4242, exe: '/usr/libexec/exampled', signer: { id: 'com.example.exampled', platformBinary: true, cdhash: '00112233445566778899aabbccddeeff01234567' } } });
    expect(e).not.toHaveProperty('exitCode');
  });

  it('v10 open: fflag FREAD is a read open of the file', () => {
    const [e] = decodeFile('mac-monitor-fixtures/ProjectSutro/SutroESFrameworkTests/Fixtures/eslogger-open.jsonl');
    expect(e).toMatchObject({ kind: 'file.open', file: { path: '/private/tmp/example/report.txt' }, flags: ['read'], process: { pid: 4343, exe: '/usr/local/bin/example-tool' } });
  });
});
