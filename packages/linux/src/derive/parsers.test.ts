import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScriptSchema, TaskSchema, ServiceSchema, AccountSchema } from '@edrkit/core';
import { accountsFrom, diffAccounts, parseGroup, parsePasswd, parseShadow } from './accounts.js';
import { parseCrontab } from './crontab.js';
import { fileFacts } from './file-facts.js';
import { scriptContent, scriptOfArgs } from './script-content.js';
import { parseUnit, timerSchedule, unitValue } from './systemd-unit.js';
import { decodeUtmp, UT, UTMP_SIZE } from './utmp.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n';
const SHADOW = 'root:$y$j9T$abc:19000:0:99999:7:::\nalice:$y$j9T$old:19000:0:99999:7:::\n';
const GROUP = 'root:x:0:\nsudo:x:27:alice\nalice:x:1000:\n';

describe('account files', () => {
  it('parses passwd, shadow and group, never keeping the password field', () => {
    const { accounts, problems } = accountsFrom(PASSWD, SHADOW, GROUP);
    expect(problems).toEqual([]);
    const alice = accounts.get('alice')!;
    expect(alice).toMatchObject({ uid: 1000, home: '/home/alice', shell: '/bin/bash', enabled: true, groups: ['sudo'] });
    expect(JSON.stringify([...accounts.values()])).not.toContain('$y$');
  });

  it('names bad lines with their number', () => {
    expect(parsePasswd('ok:x:1:1::/:/bin/sh\nbroken line\n').problems).toEqual([{ line: 2, problem: expect.stringMatching(/not a passwd entry/) }]);
    expect(parseGroup('g:x:notanumber:\n').problems[0]?.line).toBe(1);
    expect(parseShadow(':\n').problems[0]?.line).toBe(1);
  });

  it('diffs create, modify (password, groups, shell, lock) and delete', () => {
    const before = accountsFrom(PASSWD, SHADOW, GROUP).accounts;
    const created = accountsFrom(`${PASSWD}bob:x:1001:1001::/home/bob:/bin/sh\n`, `${SHADOW}bob:!:19000::::::\n`, GROUP).accounts;
    expect(diffAccounts(before, created)).toEqual([{ kind: 'account.create', account: { name: 'bob', uid: 1001 } }]);
    const changed = accountsFrom(PASSWD.replace('/home/alice:/bin/bash', '/home/alice:/bin/zsh'), SHADOW.replace('$old', '$new'), GROUP.replace('sudo:x:27:alice', 'sudo:x:27:')).accounts;
    expect(diffAccounts(before, changed)).toEqual([{ kind: 'account.modify', account: { name: 'alice', uid: 1000, changes: { password: true, groups: [], shell: '/bin/zsh' } } }]);
    const locked = accountsFrom(PASSWD, SHADOW.replace('alice:$y', 'alice:!$y'), GROUP).accounts;
    expect(diffAccounts(before, locked)).toEqual([{ kind: 'account.modify', account: { name: 'alice', uid: 1000, changes: { enabled: false } } }]);
    const gone = accountsFrom('root:x:0:0:root:/root:/bin/bash\n', SHADOW, GROUP).accounts;
    expect(diffAccounts(before, gone)).toEqual([{ kind: 'account.delete', account: { name: 'alice', uid: 1000 } }]);
    const renamed = accountsFrom(PASSWD.replace('alice:', 'alicia:'), SHADOW.replace('alice:', 'alicia:'), GROUP.replace('27:alice', '27:alicia')).accounts;
    expect(diffAccounts(before, renamed)).toEqual([{ kind: 'account.modify', account: { name: 'alice', uid: 1000, changes: { name: 'alicia' } } }]);
  });
});

describe('crontab', () => {
  it('parses user and system crontabs, keeping the command as written', () => {
    expect(parseCrontab('# m h dom mon dow command\nMAILTO=root\n*/5 * * * * /bin/echo  two  spaces\n@daily /usr/bin/backup\n', false)).toEqual({
      entries: [
        { schedule: '*/5 * * * *', command: '/bin/echo  two  spaces' },
        { schedule: '@daily', command: '/usr/bin/backup' },
      ],
      problems: [],
    });
    expect(parseCrontab('17 * * * * root cd / && run-parts --report /etc/cron.hourly\n', true).entries).toEqual([{ schedule: '17 * * * *', user: 'root', command: 'cd / && run-parts --report /etc/cron.hourly' }]);
  });

  it('reports bad lines', () => {
    expect(parseCrontab('* * * /bin/x\n@sometimes x\n* * * * *\n', false).problems.map((p) => p.line)).toEqual([1, 2, 3]);
    expect(parseCrontab('* * * * * root\n', true).problems).toHaveLength(1);
  });
});

describe('systemd units', () => {
  it('parses sections, repeated keys, resets and continuations', () => {
    const { unit, problems } = parseUnit('[Unit]\nDescription=x\n[Service]\nExecStart=/bin/a \\\n  --flag\nUser=svc\nEnvironment=A=1\nEnvironment=\n[Timer]\nOnCalendar=daily\nOnBootSec=5min\n');
    expect(problems).toEqual([]);
    expect(unitValue(unit, 'Service', 'ExecStart')).toBe('/bin/a    --flag');
    expect(unit.get('Service')?.get('Environment')).toEqual([]);
    expect(timerSchedule(unit)).toBe('OnCalendar=daily; OnBootSec=5min');
    expect(parseUnit('Key=before-section\n[S]\nnot a pair\n').problems.map((p) => p.line)).toEqual([1, 3]);
  });

  it('gives services and timer tasks', () => {
    expect(fileFacts('units', '/etc/systemd/system/x.service', '[Service]\nExecStart=/bin/x\nUser=nobody\n').services).toEqual([{ name: 'x.service', path: '/etc/systemd/system/x.service', command: '/bin/x', user: 'nobody' }]);
    expect(fileFacts('units', '/etc/systemd/system/x.timer', '[Timer]\nOnCalendar=*:0/5\n').tasks).toEqual([{ name: 'x.timer', path: '/etc/systemd/system/x.timer', command: 'x.service', scheduler: 'systemd-timer', schedule: 'OnCalendar=*:0/5' }]);
    // at 3.2 (Debian 12) writes no heredoc: the job follows the cd block, every line of it.
    const at32 = "#!/bin/sh\n# atrun uid=0 gid=0\n# mail root 0\numask 22\nLANG=C.UTF-8; export LANG\ncd /tmp || {\n\t echo 'Execution directory inaccessible' >&2\n\t exit 1\n}\ntouch /tmp/x\necho two\n";
    expect(fileFacts('at', '/var/spool/cron/atjobs/a0000101c8e826', at32).tasks[0]).toMatchObject({ command: 'touch /tmp/x\necho two', scheduler: 'at', schedule: new Date(0x1c8e826 * 60_000).toISOString() });
    expect(fileFacts('at', '/var/spool/cron/atjobs/a0000101c3b2e4', "#!/bin/sh\ncd /root\n${SHELL:-/bin/sh} << 'marcinDELIMITER1a2b'\necho hi\nmarcinDELIMITER1a2b\n").tasks[0]).toMatchObject({ command: 'echo hi', scheduler: 'at', schedule: new Date(0x1c3b2e4 * 60_000).toISOString() });
  });
});

describe('script.content from exec args', () => {
  it('finds inline code and scripts by path', () => {
    expect(scriptOfArgs('/usr/bin/dash', ['sh', '-c', 'id'])).toEqual({ interpreter: 'dash', inline: 'id' });
    expect(scriptOfArgs('/usr/bin/bash', ['bash', '-xec', 'ls'])).toEqual({ interpreter: 'bash', inline: 'ls' });
    expect(scriptOfArgs('/usr/bin/python3.11', ['python3', '-W', 'ignore', '-c', 'print(1)'])).toEqual({ interpreter: 'python3', inline: 'print(1)' });
    expect(scriptOfArgs('/usr/bin/perl', ['perl', '-e', 'print 1'])).toEqual({ interpreter: 'perl', inline: 'print 1' });
    expect(scriptOfArgs('/usr/bin/node', ['node', '--eval', 'x'])).toEqual({ interpreter: 'node', inline: 'x' });
    expect(scriptOfArgs('/usr/bin/bash', ['bash', '-o', 'pipefail', 'run.sh', 'arg'])).toEqual({ interpreter: 'bash', path: 'run.sh' });
    expect(scriptOfArgs('/usr/bin/python3', ['python3', '-m', 'http.server'])).toBeUndefined();
    expect(scriptOfArgs('/usr/bin/ls', ['ls', '-c', 'x'])).toBeUndefined();
    expect(scriptOfArgs('/usr/bin/bash', ['bash'])).toBeUndefined();
  });

  it('reads a script by path (bounded) relative to the cwd', () => {
    const read = (f: string) => (f === '/work/x.sh' ? { content: 'echo x', truncated: false } : undefined);
    expect(scriptContent('/usr/bin/bash', ['bash', 'x.sh'], '/work', read)).toEqual({ interpreter: 'bash', content: 'echo x', truncated: false, path: '/work/x.sh' });
    expect(scriptContent('/usr/bin/bash', ['bash', 'missing.sh'], '/work', read)).toBeUndefined();
    const long = 'x'.repeat(70_000);
    expect(scriptContent('/bin/sh', ['sh', '-c', long], undefined)).toMatchObject({ truncated: true, content: 'x'.repeat(64 * 1024) });
  });
});

describe('utmp records', () => {
  it('decodes the glibc x86-64 layout (type, pid, line, user, host, session, time, address)', () => {
    const b = new Uint8Array(UTMP_SIZE * 2 + 17); // a trailing partial record is left out
    const v = new DataView(b.buffer);
    v.setInt16(0, UT.USER_PROCESS, true);
    v.setInt32(4, 4242, true);
    b.set(Buffer.from('pts/3'), 8);
    b.set(Buffer.from('alice'), 44);
    b.set(Buffer.from('10.1.2.3'), 76);
    v.setInt32(336, 77, true);
    v.setUint32(340, 1_700_000_000, true);
    v.setUint32(344, 250_000, true);
    b.set([10, 1, 2, 3], 348);
    v.setInt16(UTMP_SIZE, UT.DEAD_PROCESS, true);
    b.set(Buffer.from('pts/3'), UTMP_SIZE + 8);
    expect(decodeUtmp(b)).toEqual([
      { type: 7, pid: 4242, line: 'pts/3', user: 'alice', host: '10.1.2.3', addr: '10.1.2.3', session: 77, time: 1_700_000_000_250 },
      { type: 8, pid: 0, line: 'pts/3', user: '', host: '', session: 0, time: 0 },
    ]);
  });

  it('never throws on any bytes (fast-check)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: UTMP_SIZE * 3 + 5 }), (bytes) => void expect(decodeUtmp(bytes).length).toBe(Math.floor(bytes.length / UTMP_SIZE))), { numRuns: 300 });
  });
});

// The parsers read files any local user (or a package) may write: total on any text.
describe('parsers are total (fast-check)', () => {
  const text = fc.oneof(
    fc.string({ maxLength: 400 }),
    fc.array(fc.constantFrom('root', ':', 'x', '0', '\n', '*', ' ', '@daily', '[Service]', 'ExecStart=', '=', '\\', '#', '/bin/sh', '-c', '\r', '!'), { maxLength: 60 }).map((a) => a.join('')),
  );
  it('never throw, and what they produce fits the event model', () => {
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        const { accounts } = accountsFrom(a, b, c);
        for (const ch of diffAccounts(accountsFrom(c, b, a).accounts, accounts)) AccountSchema.parse(ch.account);
        for (const src of ['etc', 'crontab-system', 'crontab-user', 'cron-period', 'at', 'units', 'sysv'] as const) {
          for (const name of ['/etc/crontab', '/x/y.service', '/x/y.timer', '/var/spool/cron/atjobs/a0000101c3b2e4']) {
            const f = fileFacts(src, name, a);
            for (const t of f.tasks) TaskSchema.parse(t);
            for (const s of f.services) ServiceSchema.parse(s);
          }
        }
        parseCrontab(b, true);
        parseUnit(c);
        const s = scriptContent('/bin/sh', ['sh', ...a.split(' ')], '/', () => undefined);
        if (s) ScriptSchema.parse(s);
      }),
      { numRuns: 400 },
    );
  });
});

describe('pam records to auth events', () => {
  const base = { type: 'pam' as const, h: {} as never, service: 'sshd', user: 'alice', tty: 'ssh', rhost: '127.0.0.1' };
  it('failed authenticate, session open and close', async () => {
    const { pamAuth } = await import('./pam-logons.js');
    expect(pamAuth({ ...base, op: 'authenticate', ret: 7 })).toEqual({ kind: 'auth.failed', auth: { user: 'alice', method: 'sshd', terminal: 'ssh', remote: { ip: '127.0.0.1' }, reason: 'PAM_AUTH_ERR (authentication failure)' } });
    expect(pamAuth({ ...base, op: 'authenticate', ret: 0 })).toBeUndefined();
    expect(pamAuth({ ...base, op: 'open-session', ret: 0, tty: '/dev/pts/2', rhost: 'host.example' })).toEqual({ kind: 'auth.logon', auth: { user: 'alice', method: 'sshd', terminal: 'pts/2' } });
    expect(pamAuth({ ...base, op: 'close-session', ret: 0 })?.kind).toBe('auth.logoff');
    expect(pamAuth({ ...base, op: 'open-session', ret: 4 })).toBeUndefined();
  });
});
