import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OBSERVABLE_KINDS } from '@edrkit/core';
import { FILE_OP } from '../decode/layout.js';
import { batch, execRecord, fileRecord } from '../decode/record-builder.js';
import { decodeBatch } from '../decode/records.js';
import { RecordConverter } from '../events/to-events.js';
import { ProcessCache } from './process-cache.js';
import { parsePasswd, UserNames } from './user-names.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n';

function passwdFile(text = PASSWD): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'edrkit-passwd-')), 'passwd');
  writeFileSync(file, text);
  return file;
}

describe('parsePasswd', () => {
  it('maps uids to names; the first entry of a uid wins; comments, NIS and malformed lines are skipped', () => {
    const names = parsePasswd(`${PASSWD}# comment\n+nisuser::::::\ntoor:x:0:0::/root:/bin/sh\nbad line\nbob:x:notanumber:1::/:/bin/sh\n:x:5:5::/:/bin/sh\nbig:x:99999999999:1::/:/bin/sh\ncarol:x:1001:1001::/home/carol:/bin/sh`);
    expect([...names]).toEqual([[0, 'root'], [1000, 'alice'], [1001, 'carol']]);
  });
  it('keeps at most max entries', () => {
    const text = Array.from({ length: 50 }, (_, i) => `u${i}:x:${i}:${i}::/:/bin/sh`).join('\n');
    expect(parsePasswd(text, 10).size).toBe(10);
  });
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => parsePasswd(text) instanceof Map), { numRuns: 300 });
    fc.assert(fc.property(fc.array(fc.array(fc.string({ maxLength: 8 }), { maxLength: 9 }).map((f) => f.join(':')), { maxLength: 20 }), (lines) => parsePasswd(lines.join('\n')) instanceof Map), { numRuns: 300 });
  });
});

describe('UserNames', () => {
  it('re-reads the file when it is replaced (new inode) or edited in place, at most once per interval', () => {
    let t = 0;
    const file = passwdFile();
    const users = new UserNames({ path: file, checkIntervalMs: 1000, now: () => t });
    expect(users.name(1000)).toBe('alice');
    expect(users.name(1002)).toBeUndefined();
    const gen = users.generation;

    // Replaced by rename, as useradd and editors do.
    const next = `${file}.new`;
    writeFileSync(next, `${PASSWD}dave:x:1002:1002::/home/dave:/bin/sh\n`);
    renameSync(next, file);
    expect(users.name(1002)).toBeUndefined(); // still within the interval: no stat yet
    t += 1000;
    expect(users.name(1002)).toBe('dave');
    expect(users.generation).toBe(gen + 1);

    // Edited in place with the same size: the mtime tells.
    writeFileSync(file, `${PASSWD}erin:x:1002:1002::/home/dave:/bin/sh\n`);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    t += 1000;
    expect(users.name(1002)).toBe('erin');

    // Unchanged: no re-read, same generation.
    t += 1000;
    users.refresh();
    expect(users.generation).toBe(gen + 2);
  });

  it('gives no names while the file is missing, and picks it up when it comes back', () => {
    let t = 0;
    const file = passwdFile();
    const users = new UserNames({ path: file, now: () => t });
    expect(users.name(0)).toBe('root');
    rmSync(file);
    t += 1000;
    expect(users.name(0)).toBeUndefined();
    writeFileSync(file, PASSWD);
    t += 1000;
    expect(users.name(0)).toBe('root');
  });
});

describe('process.user on converted events', () => {
  it('is set from the uid, absent for an unnamed uid, and follows a change of the file', () => {
    let t = 0;
    const file = passwdFile();
    const toMs = (ns: number) => 1_700_000_000_000 + ns / 1e6;
    const cache = new ProcessCache({ bootToEpochMs: toMs, readProc: false, users: new UserNames({ path: file, now: () => t }) });
    const conv = new RecordConverter(cache, new Set(OBSERVABLE_KINDS), toMs);
    const h = { tsNs: 2e9, startNs: 1e9, pid: 50, tid: 50, ppid: 1, uid: 1000, gid: 1000, comm: 'sh' };
    const convert = (record: Uint8Array) => {
      const event = decodeBatch(batch([record])).records.flatMap((r) => conv.convert(r))[0];
      return event && 'process' in event ? event.process : undefined;
    };
    expect(convert(execRecord({ ...h, uid: 4242 }, { exe: { dentry: ['usr', 'bin', 'id'] }, args: ['id'] }))).not.toHaveProperty('user');
    expect(convert(execRecord(h, { exe: { dentry: ['usr', 'bin', 'id'] }, args: ['id'] }))).toMatchObject({ uid: 1000, user: 'alice' });
    const file1 = fileRecord(h, { op: FILE_OP.UNLINK, path: { dentry: ['tmp', 'a'] } });
    expect(convert(file1)).toMatchObject({ user: 'alice' });
    // Renamed account: the process's shared view is rebuilt after the backend's per-batch refresh.
    writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\nalicia:x:1000:1000::/home/alicia:/bin/bash\n');
    t += 1000;
    cache.refreshUsers();
    expect(convert(file1)).toMatchObject({ uid: 1000, user: 'alicia' });
  });
});
