/**
 * Live tests of issue 14 part B (root): real `useradd`/`usermod`/`chpasswd`/`userdel`, a
 * crontab installed with `crontab -u root FILE` (the previous one restored), a /etc/cron.d
 * file, a systemd timer and service unit written, enabled by symlink (as `systemctl enable`
 * does; systemd does not run here) and removed, and shell/interpreter code, each giving the
 * derived event with its fields; `edrkit watch` delivering a derived kind; `edrkit detect`
 * with unchanged SigmaHQ rules of the scheduled-task, account and service categories.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { LinuxEbpfBackend } from '@edrkit/linux';
import { startEdrkit, repoRoot } from '../cli/cli-helpers.js';
import { liveSkipReason, ofKind, until } from './helpers.js';

const skip = liveSkipReason() ?? (existsSync('/usr/bin/crontab') ? undefined : 'crontab missing (npm run setup installs cron)');
const tag = `edrkit-t14b-${process.pid}`;
const dir = skip ? '' : mkdtempSync('/tmp/edrkit-t14b-');
const UNIT_DIR = '/etc/systemd/system';
const files = [`${UNIT_DIR}/${tag}.service`, `${UNIT_DIR}/${tag}.timer`, `${UNIT_DIR}/multi-user.target.wants/${tag}.service`, `/etc/cron.d/${tag}`];

// The root crontab before the test, restored after it.
const previousCrontab = skip ? undefined : spawnSync('crontab', ['-u', 'root', '-l'], { encoding: 'utf8' });

function cleanup() {
  spawnSync('userdel', [tag], { stdio: 'ignore' });
  for (const f of files) rmSync(f, { force: true });
  if (previousCrontab?.status === 0) spawnSync('crontab', ['-u', 'root', '-'], { input: previousCrontab.stdout });
  else spawnSync('crontab', ['-u', 'root', '-r'], { stdio: 'ignore' });
  if (dir) rmSync(dir, { recursive: true, force: true });
}
afterAll(cleanup);

const sh = (script: string) => execFileSync('sh', ['-c', script], { stdio: 'ignore' });
const exeOf = (e: EdrEvent | undefined) => (e && 'process' in e ? e.process.exe : undefined);
const pause = (ms = 150) => new Promise((r) => setTimeout(r, ms));

/** A TCP port free on 127.0.0.1 now. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe.skipIf(!!skip)(`linux-ebpf part B live${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('an ssh logon to sshd on 127.0.0.1 gives auth.logon and auth.logoff, a wrong password auth.failed', async () => {
    if (!existsSync('/usr/sbin/sshd') || !existsSync('/usr/bin/sshpass')) throw new Error('sshd or sshpass missing: npm run setup installs openssh-server and sshpass');
    const user = `${tag.slice(0, 20)}s`;
    // For the wtmp fallback (no libpam): sshd records a logoff in wtmp only after it updated utmp; /run/utmp is made at boot by systemd-tmpfiles, which does not run here.
    const madeUtmp = !existsSync('/run/utmp');
    sh(`mkdir -p /run/sshd && touch /run/utmp && useradd -M -d /tmp -s /bin/sh ${user}`);
    execFileSync('chpasswd', { input: `${user}:Right-14b\n` });
    const port = await freePort();
    const sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-p', String(port), '-o', 'ListenAddress=127.0.0.1', '-o', 'PidFile=none', '-o', 'PasswordAuthentication=yes'], { stdio: 'ignore' });
    const sensor = await openSensor({ backend: new LinuxEbpfBackend(), kinds: ['auth.logon', 'auth.logoff', 'auth.failed'] });
    const events: EdrEvent[] = [];
    const loop = (async () => {
      for await (const e of sensor) events.push(e);
    })();
    const ssh = (pw: string) => spawnSync('sshpass', ['-p', pw, 'ssh', '-tt', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'PubkeyAuthentication=no', '-o', 'ConnectTimeout=5', '-p', String(port), `${user}@127.0.0.1`, 'true'], { stdio: 'ignore', timeout: 15_000 });
    try {
      await until(() => spawnSync('sh', ['-c', `ss -ltn | grep -q 127.0.0.1:${port}`]).status === 0, 3000);
      expect(ssh('Right-14b').status).toBe(0);
      expect(ssh('Wrong-14b').status).not.toBe(0);
      await until(() => ofKind(events, 'auth.failed').some((e) => e.auth.user === user), 5000);
    } finally {
      await sensor.close();
      await loop;
      sshd.kill();
      spawnSync('userdel', [user], { stdio: 'ignore' });
      if (madeUtmp) rmSync('/run/utmp', { force: true });
    }
    const mine = events.filter((e) => 'auth' in e && e.auth.user === user);
    expect(mine.map((e) => 'auth' in e && [e.kind, e.auth.method, e.auth.remote?.ip, exeOf(e)])).toEqual([
      ['auth.logon', 'sshd', '127.0.0.1', '/usr/sbin/sshd'],
      ['auth.logoff', 'sshd', '127.0.0.1', '/usr/sbin/sshd'],
      ['auth.failed', 'sshd', '127.0.0.1', '/usr/sbin/sshd'],
    ]);
    // From libpam (the PAM service is the method) where it is probed; the reason names the PAM error.
    expect(ofKind(mine, 'auth.failed')[0]?.auth.reason).toMatch(/PAM_AUTH_ERR/);
    expect(ofKind(mine, 'auth.logon')[0]?.auth.terminal).toMatch(/^(pts\/\d+|ssh)$/);
    expect(ofKind(mine, 'auth.logoff')[0]?.auth.terminal).toBe(ofKind(mine, 'auth.logon')[0]?.auth.terminal);
  }, 40_000);

  it('derives account, task, service and script events from the real tools, naming the process', async () => {
    const sensor = await openSensor({
      backend: new LinuxEbpfBackend(),
      kinds: ['account.create', 'account.modify', 'account.delete', 'task.create', 'task.modify', 'task.delete', 'service.create', 'service.modify', 'service.delete', 'script.content', 'sensor.start', 'sensor.stop'],
    });
    const events: EdrEvent[] = [];
    const loop = (async () => {
      for await (const e of sensor) events.push(e);
    })();
    try {
      // Accounts: each tool waits for the previous one's event, as an admin would.
      const accounts = () => events.filter((e): e is Extract<EdrEvent, { kind: `account.${string}` }> => e.kind.startsWith('account.') && 'account' in e && e.account.name === tag);
      sh(`useradd -M -s /usr/sbin/nologin ${tag}`);
      await until(() => accounts().length >= 1, 3000);
      sh(`usermod -s /bin/sh ${tag}`);
      await until(() => accounts().length >= 2, 3000);
      execFileSync('chpasswd', { input: `${tag}:Secret-14b\n` }); // on stdin: not in any command line
      await until(() => accounts().length >= 3, 3000);
      sh(`userdel ${tag}`);
      await until(() => accounts().length >= 4, 3000);

      // Tasks: crontab(1) writes a temporary file in the spool and renames it into place.
      writeFileSync(`${dir}/cron`, `*/7 * * * * /bin/echo ${tag}\n`);
      sh(`crontab -u root ${dir}/cron`);
      await pause();
      sh(`crontab -u root -r`);
      await pause();
      sh(`cp ${dir}/cron /etc/cron.d/${tag}.tmp && rm /etc/cron.d/${tag}.tmp && printf '15 3 * * * root /usr/bin/true ${tag}\\n' > /etc/cron.d/${tag}`);
      // (The sensor leaves out its own process, so every change is made by a child.)
      writeFileSync(`${dir}/timer`, `[Unit]\nDescription=${tag}\n[Timer]\nOnCalendar=*-*-* 04:00:00\nUnit=${tag}.service\n`);
      sh(`cp ${dir}/timer ${UNIT_DIR}/${tag}.timer`);
      await pause();

      // Services: a unit written by a shell redirect, enabled by symlink, disabled, deleted.
      sh(`printf '[Unit]\\nDescription=${tag}\\n[Service]\\nExecStart=/usr/bin/sleep 1000\\nUser=nobody\\n[Install]\\nWantedBy=multi-user.target\\n' > ${UNIT_DIR}/${tag}.service`);
      await pause();
      sh(`ln -s ${UNIT_DIR}/${tag}.service ${UNIT_DIR}/multi-user.target.wants/${tag}.service`);
      await pause();
      sh(`rm ${UNIT_DIR}/multi-user.target.wants/${tag}.service`);
      await pause();
      sh(`rm ${UNIT_DIR}/${tag}.service ${UNIT_DIR}/${tag}.timer`);

      // Scripts: inline code and a script run by its #! line.
      writeFileSync(`${dir}/run.sh`, `#!/bin/sh\necho ${tag}-by-path\n`);
      chmodSync(`${dir}/run.sh`, 0o755);
      sh(`bash -c 'echo ${tag}-inline' >/dev/null; python3 -c 'print("${tag}-py")' >/dev/null; ${dir}/run.sh >/dev/null`);
      // An interactive bash on a pty (script(1)) reading a typed line with readline().
      execFileSync('script', ['-qec', 'bash --norc --noprofile -i', '/dev/null'], { input: `echo ${tag}-typed\nexit\n`, stdio: ['pipe', 'ignore', 'ignore'], timeout: 10_000 });
      const services = () => events.filter((e) => e.kind.startsWith('service.') && 'service' in e && e.service.name === `${tag}.service`);
      await until(() => services().length >= 4 && ofKind(events, 'script.content').some((e) => e.script.content === `echo ${tag}-typed`), 5000);
    } finally {
      await sensor.close();
      await loop;
    }

    expect(events[0]?.kind).toBe('sensor.start');
    expect(events.at(-1)?.kind).toBe('sensor.stop');

    const acc = events.filter((e) => e.kind.startsWith('account.') && 'account' in e && e.account.name === tag);
    expect(acc.map((e) => [e.kind, 'account' in e && e.account.changes, exeOf(e)])).toEqual([
      ['account.create', undefined, '/usr/sbin/useradd'],
      ['account.modify', { shell: '/bin/sh' }, '/usr/sbin/usermod'],
      // useradd left the account locked (`!` in shadow): a password unlocks it.
      ['account.modify', { password: true, enabled: true }, '/usr/sbin/chpasswd'],
      ['account.delete', undefined, '/usr/sbin/userdel'],
    ]);
    expect(ofKind(events, 'account.create')[0]?.account.uid).toBeGreaterThan(0);
    // Never the hash (yescrypt $y$, SHA-512 $6$) nor the password.
    expect(JSON.stringify(acc)).not.toMatch(/\$y\$|\$6\$|Secret-14b/);

    const tasks = events.filter((e) => e.kind.startsWith('task.') && 'task' in e && (e.task.command?.includes(tag) || e.task.name.startsWith(tag)));
    expect(tasks.map((e) => 'task' in e && [e.kind, e.task.path, e.task.schedule, e.task.command, e.task.scheduler, e.task.user])).toEqual([
      ['task.create', '/var/spool/cron/crontabs/root', '*/7 * * * *', `/bin/echo ${tag}`, 'cron', 'root'],
      ['task.delete', '/var/spool/cron/crontabs/root', '*/7 * * * *', `/bin/echo ${tag}`, 'cron', 'root'],
      ['task.create', `/etc/cron.d/${tag}`, '15 3 * * *', `/usr/bin/true ${tag}`, 'cron', 'root'],
      ['task.create', `${UNIT_DIR}/${tag}.timer`, 'OnCalendar=*-*-* 04:00:00', `${tag}.service`, 'systemd-timer', undefined],
      ['task.delete', `${UNIT_DIR}/${tag}.timer`, 'OnCalendar=*-*-* 04:00:00', `${tag}.service`, 'systemd-timer', undefined],
    ]);
    expect(exeOf(tasks[0])).toBe('/usr/bin/crontab');

    const svc = events.filter((e) => e.kind.startsWith('service.') && 'service' in e && e.service.name === `${tag}.service`);
    expect(svc.map((e) => 'service' in e && [e.kind, e.service.path, e.service.command, e.service.user, e.service.startType])).toEqual([
      ['service.create', `${UNIT_DIR}/${tag}.service`, '/usr/bin/sleep 1000', 'nobody', undefined],
      ['service.modify', `${UNIT_DIR}/${tag}.service`, '/usr/bin/sleep 1000', 'nobody', 'auto'],
      ['service.modify', `${UNIT_DIR}/${tag}.service`, '/usr/bin/sleep 1000', 'nobody', 'manual'],
      ['service.delete', `${UNIT_DIR}/${tag}.service`, '/usr/bin/sleep 1000', 'nobody', undefined],
    ]);

    const scripts = ofKind(events, 'script.content').filter((e) => e.script.content.includes(tag));
    expect(scripts.find((e) => e.script.content === `echo ${tag}-inline`)).toMatchObject({ script: { interpreter: 'bash', truncated: false }, process: { exe: '/usr/bin/bash' } });
    expect(scripts.find((e) => e.script.content === `print("${tag}-py")`)?.script.interpreter).toBe('python3');
    expect(scripts.find((e) => e.script.content === `echo ${tag}-typed`)).toMatchObject({ script: { interpreter: 'bash', truncated: false }, process: { exe: '/usr/bin/bash' } });
    expect(scripts.find((e) => e.script.path === `${dir}/run.sh`)?.script).toEqual({ interpreter: 'dash', content: `#!/bin/sh\necho ${tag}-by-path\n`, truncated: false, path: `${dir}/run.sh` });
  }, 40_000);

  it('edrkit watch delivers a derived task.create, and edrkit detect fires unchanged SigmaHQ rules of the task, account and service categories', async () => {
    const corpus = process.env.EDRKIT_CORPUS ?? resolve(repoRoot, '../shared/corpus');
    const rules = ['proc_creation_lnx_schedule_task_job_cron.yml', 'proc_creation_lnx_userdel.yml', 'proc_creation_lnx_usermod_susp_group.yml', 'proc_creation_lnx_services_stop_and_disable.yml'].map((r) => resolve(corpus, 'sigma/rules/linux/process_creation', r));
    const watch = startEdrkit(['watch', '--format', 'json', '--kinds', 'sensor.start,task.create,sensor.stop', '--duration', '20']);
    const detect = startEdrkit(['detect', '--rules', ...rules, '--format', 'json', '--duration', '20']);
    // Act once both sensors are up: watch's first event, and detect's first match of a canary
    // (`userdel` of a user that does not exist, which one of the rules matches), repeated
    // until it fires: on a loaded machine a fixed wait is not enough.
    expect(await until(() => watch.stdout().includes('sensor.start'), 15_000), watch.stderr()).toBe(true);
    let canaries = 0;
    const detectUp = await until(() => {
      if (detect.stdout().includes('Userdel')) return true;
      if (canaries++ % 10 === 0) sh(`userdel ${tag}-canary 2>/dev/null || true`);
      return false;
    }, 15_000);
    expect(detectUp, detect.stderr()).toBe(true);
    writeFileSync(`${dir}/cron2`, `0 5 * * * /bin/echo ${tag}-sigma\n`);
    sh(`crontab -u root ${dir}/cron2`);
    // The crontab is read back when its writer closes it: removing it at once could beat that read.
    expect(await until(() => watch.stdout().includes('task.create'), 10_000), watch.stderr()).toBe(true);
    sh(`crontab -u root -r; useradd -M ${tag}; usermod -aG root ${tag}; userdel ${tag}; systemctl stop ${tag}.service 2>/dev/null || true`);
    // Let both see the behaviour, then stop them (SIGINT stops cleanly, with exit 0).
    await new Promise((r) => setTimeout(r, 2000));
    watch.child.kill('SIGINT');
    detect.child.kill('SIGINT');
    const [w, d] = await Promise.all([watch.done, detect.done]);
    expect(w.code, w.stderr).toBe(0);
    const created = w.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as EdrEvent).filter((e) => e.kind === 'task.create');
    expect(created.map((e) => 'task' in e && [e.task.path, e.task.command, exeOf(e)])).toContainEqual(['/var/spool/cron/crontabs/root', `/bin/echo ${tag}-sigma`, '/usr/bin/crontab']);
    expect(d.code, d.stderr).toBe(0);
    const titles = new Set(d.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { rule: { title: string } }).rule.title));
    expect([...titles].sort()).toEqual(['Scheduled Cron Task/Job - Linux', 'Disable Or Stop Services', 'User Added To Root/Sudoers Group Using Usermod', 'User Has Been Deleted Via Userdel'].sort());
  }, 90_000);
});
