/**
 * at jobs live as root: `at` (Debian's at 3.x) queues a real job through `edrkit watch
 * --format json --kinds task.create,task.delete`, and `atrm` removes it. at writes the job file
 * into /var/spool/cron/atjobs itself (atd only runs jobs, so it is not needed; at warns that it
 * cannot signal it); the watched-directory derivation reads the file after at closes it.
 * Unprivileged, the file skips with one line; a root host without `at` fails naming the fix.
 */
import { existsSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { EventOfKind } from '@edrkit/core';
import { liveSkipReason, until } from './helpers.js';
import { watchJson } from './watch-cli.js';

const skip = liveSkipReason();
const SPOOL = '/var/spool/cron/atjobs';
const AT_JOB = /^[a-zA-Z=][0-9a-f]{5}([0-9a-f]{8})$/;

const jobs = () => (existsSync(SPOOL) ? readdirSync(SPOOL).filter((n) => AT_JOB.test(n)) : []);

describe.skipIf(!!skip)(`at jobs live${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('`at now + 1 hour` gives task.create (scheduler at, schedule, command), `atrm` task.delete', async () => {
    expect(existsSync('/usr/bin/at') && existsSync('/usr/bin/atrm'), 'at is not installed: run npm run setup (Debian package at)').toBe(true);
    const tag = `edrkit-at-${process.pid}-${Date.now()}`;
    const command = `touch /tmp/${tag}`;
    let job = '';
    let file = '';
    let queuedAt = 0;
    const { events, stderr, code } = await watchJson(['--kinds', 'sensor.start,task.create,task.delete', '--duration', '10'], async (output) => {
      const before = new Set(jobs());
      queuedAt = Date.now();
      const at = spawnSync('/usr/bin/at', ['now', '+', '1', 'hour'], { input: `${command}\n`, encoding: 'utf8' });
      expect(at.status, at.stderr).toBe(0);
      job = /job (\d+) at/.exec(at.stderr)?.[1] ?? '';
      expect(job, at.stderr).not.toBe('');
      file = jobs().find((n) => !before.has(n)) ?? '';
      expect(file, `no new job file in ${SPOOL}`).not.toBe('');
      // Removed only after watch has printed the creation (its derivation reads the file back).
      expect(await until(() => output().includes(file), 6000), 'task.create of the job').toBe(true);
      const atrm = spawnSync('/usr/bin/atrm', [job], { encoding: 'utf8' });
      expect(atrm.status, atrm.stderr).toBe(0);
      expect(existsSync(`${SPOOL}/${file}`)).toBe(false);
    });
    expect(code, stderr).toBe(0);
    const tasks = events.filter((e): e is EventOfKind<'task.create' | 'task.delete'> => (e.kind === 'task.create' || e.kind === 'task.delete') && e.task.path === `${SPOOL}/${file}`);
    expect(tasks.map((e) => e.kind)).toEqual(['task.create', 'task.delete']);
    const [created, deleted] = tasks;
    // at is set-user-id daemon: it writes the job file as uid 1 (the job itself runs as its submitter).
    expect(created).toMatchObject({ process: { exe: '/usr/bin/at' }, task: { name: file, scheduler: 'at', command } });
    // The schedule is the job's minute (from the file name): one hour after queueing, rounded down to the minute.
    const schedule = Date.parse(created!.task.schedule ?? '');
    expect(created!.task.schedule).toBe(new Date(parseInt(AT_JOB.exec(file)![1]!, 16) * 60_000).toISOString());
    expect(schedule - queuedAt).toBeGreaterThan(58 * 60_000);
    expect(schedule - queuedAt).toBeLessThanOrEqual(60 * 60_000);
    // atrm is a link to at: the image is at's, argv[0] says atrm.
    expect(deleted).toMatchObject({ process: { exe: '/usr/bin/at', args: ['/usr/bin/atrm', job] }, task: { name: file, scheduler: 'at' } });
  }, 60_000);
});
