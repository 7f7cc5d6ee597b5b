import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeWriteRecord, fileRecord } from '../decode/record-builder.js';
import { decodeBatch, type DecodedRecord } from '../decode/records.js';
import { FILE_OP } from '../decode/layout.js';
import { batch } from '../decode/record-builder.js';
import { WatchedFiles } from './watched-files.js';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function host(): string {
  root = mkdtempSync(path.join(tmpdir(), 'edrkit-watched-'));
  for (const d of ['etc/cron.d', 'var/spool/cron/crontabs', 'etc/systemd/system/multi-user.target.wants']) mkdirSync(path.join(root, d), { recursive: true });
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  writeFileSync(path.join(root, 'etc/shadow'), 'root:$y$h:1::::::\n');
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n');
  return root;
}

const rec = (bytes: Uint8Array): DecodedRecord => decodeBatch(batch([bytes])).records[0]!;
const envelope = () => ({ time: 1, platform: 'linux' as const, source: 'linux-ebpf', process: { pid: 7, ppid: 1, exe: '/usr/sbin/x', args: ['x'], cmdline: 'x' } });

function run(w: WatchedFiles, records: DecodedRecord[]) {
  const out: unknown[] = [];
  for (const r of records) {
    w.signal(r, (_h, which) => (r.type === 'file' ? (which === 'path' ? r.path.path : r.path2.path) : ''));
    w.flush(envelope, out as never[]);
  }
  return out as { kind: string; account?: unknown; task?: unknown; service?: unknown }[];
}

const ALL = new Set(['account.create', 'account.modify', 'account.delete', 'task.create', 'task.modify', 'task.delete', 'service.create', 'service.modify', 'service.delete'] as const);

describe('WatchedFiles', () => {
  it('an account file renamed into place gives account.create; a close-after-write in a watched directory a task', () => {
    const r = host();
    const warnings: Error[] = [];
    const w = new WatchedFiles(ALL, (e) => warnings.push(e), r);
    expect(w.inodes()).toContain(statSync(path.join(r, 'etc')).ino);
    w.snapshot();
    writeFileSync(path.join(r, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\nbob:x:1001:1001::/home/bob:/bin/sh\n');
    const renamed = rec(fileRecord({ pid: 7 }, { op: FILE_OP.RENAME, path: { raw: '/etc/passwd+' }, path2: { raw: '/etc/passwd' } }));
    expect(run(w, [renamed])).toMatchObject([{ kind: 'account.create', account: { name: 'bob', uid: 1001 } }]);

    writeFileSync(path.join(r, 'etc/cron.d/job'), '*/5 * * * * root /bin/job\n');
    const closed = rec(closeWriteRecord({ pid: 7 }, { dirIno: statSync(path.join(r, 'etc/cron.d')).ino, name: 'job' }));
    expect(closed).toMatchObject({ type: 'close-write', name: 'job', reason: 'close' });
    expect(run(w, [closed])).toMatchObject([{ kind: 'task.create', task: { name: 'job', path: '/etc/cron.d/job', command: '/bin/job', schedule: '*/5 * * * *', user: 'root', scheduler: 'cron' } }]);
    writeFileSync(path.join(r, 'etc/cron.d/job'), '0 3 * * * root /bin/job\n');
    expect(run(w, [closed])).toMatchObject([{ kind: 'task.modify', task: { schedule: '0 3 * * *' } }]);
    rmSync(path.join(r, 'etc/cron.d/job'));
    expect(run(w, [rec(fileRecord({ pid: 7 }, { op: FILE_OP.UNLINK, path: { raw: '/etc/cron.d/job' } }))])).toMatchObject([{ kind: 'task.delete' }]);
    expect(warnings).toEqual([]);
  });

  it('a unit file, its enablement link and a file that does not parse (a warning naming it)', () => {
    const r = host();
    const warnings: Error[] = [];
    const w = new WatchedFiles(ALL, (e) => warnings.push(e), r);
    w.snapshot();
    const unit = path.join(r, 'etc/systemd/system/demo.service');
    writeFileSync(unit, '[Service]\nExecStart=/bin/demo\nthis is not a key\n');
    const dirIno = statSync(path.join(r, 'etc/systemd/system')).ino;
    expect(run(w, [rec(closeWriteRecord({ pid: 7 }, { dirIno, name: 'demo.service' }))])).toMatchObject([{ kind: 'service.create', service: { name: 'demo.service', command: '/bin/demo' } }]);
    expect(warnings.map((e) => e.message)).toEqual(['/etc/systemd/system/demo.service:3: not a Key=Value line; those lines are ignored']);
    expect(warnings[0]).toMatchObject({ code: 'ERR_WATCHED_FILE', path: '/etc/systemd/system/demo.service', line: 3 });
    symlinkSync(unit, path.join(r, 'etc/systemd/system/multi-user.target.wants/demo.service'));
    const link = rec(fileRecord({ pid: 7 }, { op: FILE_OP.SYMLINK, path: { raw: '/etc/systemd/system/multi-user.target.wants/demo.service' } }));
    expect(run(w, [link])).toMatchObject([{ kind: 'service.modify', service: { name: 'demo.service', path: '/etc/systemd/system/demo.service', startType: 'auto' } }]);
    // A temporary name (an editor's or crontab's) is never a task or service.
    writeFileSync(path.join(r, 'var/spool/cron/crontabs/tmp.XYZ'), '* * * * * /bin/x\n');
    expect(run(w, [rec(closeWriteRecord({ pid: 7 }, { dirIno: statSync(path.join(r, 'var/spool/cron/crontabs')).ino, name: 'tmp.XYZ' }))])).toEqual([]);
  });
});

describe('logons from wtmp/btmp (the fallback without libpam)', () => {
  it('reports records appended after start: logon, logoff (user from the logon on that line), failed', async () => {
    const { appendFileSync } = await import('node:fs');
    const r = host();
    mkdirSync(path.join(r, 'var/log'), { recursive: true });
    const utmp = (type: number, line: string, user: string, ip?: number[]) => {
      const b = new Uint8Array(384);
      const v = new DataView(b.buffer);
      v.setInt16(0, type, true);
      b.set(Buffer.from(line), 8);
      b.set(Buffer.from(user), 44);
      if (ip) b.set(ip, 348);
      return b;
    };
    writeFileSync(path.join(r, 'var/log/wtmp'), utmp(7, 'pts/9', 'old')); // before start: not reported
    writeFileSync(path.join(r, 'var/log/btmp'), '');
    const w = new WatchedFiles(new Set(['auth.logon', 'auth.logoff', 'auth.failed'] as const), () => {}, r);
    w.snapshot();
    appendFileSync(path.join(r, 'var/log/wtmp'), utmp(7, 'pts/1', 'alice', [127, 0, 0, 1]));
    appendFileSync(path.join(r, 'var/log/wtmp'), utmp(8, 'pts/1', ''));
    appendFileSync(path.join(r, 'var/log/btmp'), utmp(6, 'ssh:notty', 'mallory', [10, 0, 0, 9]));
    const logIno = statSync(path.join(r, 'var/log')).ino;
    const events = run(w, [rec(closeWriteRecord({ pid: 7 }, { dirIno: logIno, name: 'wtmp' })), rec(closeWriteRecord({ pid: 7 }, { dirIno: logIno, name: 'btmp' }))]);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'auth.logon', auth: { user: 'alice', terminal: 'pts/1', remote: { ip: '127.0.0.1' }, method: 'x' } }),
      expect.objectContaining({ kind: 'auth.logoff', auth: { user: 'alice', terminal: 'pts/1', method: 'x' } }),
      expect.objectContaining({ kind: 'auth.failed', auth: { user: 'mallory', remote: { ip: '10.0.0.9' }, reason: 'authentication failed (recorded in btmp)', method: 'x' } }),
    ]);
  });
});
