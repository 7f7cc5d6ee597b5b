/**
 * What one watched file defines: the scheduled tasks and services in it, by the directory it
 * is in (see {@link WatchedSource}). Pure: text in, facts and problems out.
 *
 * @module
 */
import path from 'node:path';
import type { Service, Task } from '@edrkit/core';
import type { ParseProblem } from './accounts.js';
import { parseCrontab } from './crontab.js';
import { parseUnit, timerSchedule, unitValue, unitValues } from './systemd-unit.js';
import type { WatchedSource } from './watch-list.js';

/** The tasks and services one file defines. */
export interface FileFacts {
  tasks: Task[];
  services: Service[];
  problems: ParseProblem[];
}

const NONE: FileFacts = { tasks: [], services: [], problems: [] };

/** Whether a file of this source and name defines anything (the rest of /etc is not read). */
export function isFactFile(source: WatchedSource, name: string): boolean {
  if (source === 'etc') return name === 'crontab';
  if (source === 'units') return name.endsWith('.service') || name.endsWith('.timer');
  return source !== 'logs'; // wtmp/btmp are read by the logon part (WatchedFiles), not as facts
}

/** at(1) job file names: queue letter, 5 hex digits of job number, 8 hex digits of minutes since the epoch. */
const AT_JOB = /^[a-zA-Z=]([0-9a-f]{5})([0-9a-f]{8})$/;

/** The commands of an at job: the here-document older at(1) wraps them in, the lines after at 3.x's cd block, or else the last line. */
function atCommand(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /<< '?(marcinDELIMITER[0-9a-f]+)'?\s*$/.test(l));
  if (start >= 0) {
    const delim = /<< '?(marcinDELIMITER[0-9a-f]+)'?/.exec(lines[start]!)![1]!;
    const end = lines.indexOf(delim, start + 1);
    return lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
  }
  // at 3.x (Debian's): the job's lines follow the `cd DIR || { … exit 1 … }` that at writes
  // after the environment; all of them are the command, not only the last one.
  const cd = lines.findIndex((l) => /^cd .* \|\| \{\s*$/.test(l));
  const close = cd >= 0 ? lines.indexOf('}', cd + 1) : -1;
  if (close >= 0) return lines.slice(close + 1).join('\n').trim();
  return lines.filter((l) => l.trim()).pop()?.trim() ?? '';
}

/** The facts of `file` (absolute path) in a directory of `source`, from its text. */
export function fileFacts(source: WatchedSource, file: string, text: string): FileFacts {
  const name = path.posix.basename(file);
  switch (source) {
    case 'etc':
    case 'crontab-system':
    case 'crontab-user': {
      if (source === 'etc' && name !== 'crontab') return NONE;
      const system = source !== 'crontab-user';
      const { entries, problems } = parseCrontab(text, system);
      const tasks = entries.map((e): Task => ({ name, path: file, command: e.command, schedule: e.schedule, scheduler: 'cron', user: e.user ?? name }));
      return { tasks, services: [], problems };
    }
    case 'cron-period': {
      const period = /cron\.(\w+)$/.exec(path.posix.dirname(file))?.[1] ?? 'periodic';
      return { tasks: [{ name, path: file, command: file, schedule: `@${period}`, scheduler: 'cron', user: 'root' }], services: [], problems: [] };
    }
    case 'at': {
      const m = AT_JOB.exec(name);
      const task: Task = { name, path: file, command: atCommand(text), scheduler: 'at' };
      if (m) task.schedule = new Date(parseInt(m[2]!, 16) * 60_000).toISOString();
      return { tasks: [task], services: [], problems: [] };
    }
    case 'sysv':
      return { tasks: [], services: [{ name, path: file, command: file }], problems: [] };
    case 'logs':
      return NONE;
    case 'units': {
      const { unit, problems } = parseUnit(text);
      if (name.endsWith('.timer')) {
        const task: Task = { name, path: file, command: unitValue(unit, 'Timer', 'Unit') ?? name.replace(/\.timer$/, '.service'), scheduler: 'systemd-timer' };
        const schedule = timerSchedule(unit);
        if (schedule) task.schedule = schedule;
        return { tasks: [task], services: [], problems };
      }
      if (!name.endsWith('.service')) return NONE;
      const service: Service = { name, path: file };
      const exec = unitValues(unit, 'Service', 'ExecStart');
      if (exec.length) service.command = exec.join('; ');
      const user = unitValue(unit, 'Service', 'User');
      if (user) service.user = user;
      return { tasks: [], services: [service], problems };
    }
  }
}

/** The start type an enablement link in `<target>.wants/` gives. */
export function startTypeOfLink(linkDir: string): NonNullable<Service['startType']> {
  return /\/(sysinit|basic|local-fs|sockets)\.target\.(wants|requires)$/.test(linkDir) ? 'boot' : 'auto';
}
