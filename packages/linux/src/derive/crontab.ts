/**
 * crontab(5) files: user crontabs (`/var/spool/cron/crontabs/<user>`: schedule + command) and
 * system ones (`/etc/crontab`, `/etc/cron.d/*`: schedule + user + command). Environment lines
 * (`NAME=value`) are skipped. Parsing is total: a bad line is a problem, never an exception.
 *
 * @module
 */
import type { ParseProblem } from './accounts.js';

/** One cron entry. */
export interface CronEntry {
  /** `*\/5 * * * *` or `@daily`, as written. */
  schedule: string;
  command: string;
  /** System crontabs name the user; user crontabs run as their owner (the file name). */
  user?: string;
}

const NICKNAMES = new Set(['@reboot', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const FIELD = /^[0-9A-Za-z*/,\-?LW#]+$/;
const ENV = /^[A-Za-z_][A-Za-z0-9_]*\s*=/;

/** Parse a crontab; `system` files have a user column after the schedule. */
export function parseCrontab(text: string, system: boolean): { entries: CronEntry[]; problems: ParseProblem[] } {
  const entries: CronEntry[] = [];
  const problems: ParseProblem[] = [];
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const l = all[i]!.replace(/\r$/, '').trim();
    if (l === '' || l.startsWith('#') || ENV.test(l)) continue;
    const words = l.split(/\s+/);
    let schedule: string;
    let rest: string[];
    if (words[0]!.startsWith('@')) {
      if (!NICKNAMES.has(words[0]!)) {
        problems.push({ line: i + 1, problem: `unknown schedule ${words[0]!.slice(0, 40)}` });
        continue;
      }
      schedule = words[0]!;
      rest = words.slice(1);
    } else {
      const fields = words.slice(0, 5);
      if (fields.length < 5 || !fields.every((f) => FIELD.test(f))) {
        problems.push({ line: i + 1, problem: 'not a cron entry (five time fields, then the command)' });
        continue;
      }
      schedule = fields.join(' ');
      rest = words.slice(5);
    }
    const user = system ? rest.shift() : undefined;
    // The command is the rest of the line as written (inner spaces kept).
    const skip = (words[0]!.startsWith('@') ? 1 : 5) + (system ? 1 : 0);
    const command = l.replace(new RegExp(`^(\\S+\\s+){${skip}}`), '').trim();
    const hasCommand = rest.length > 0 && command !== l;
    if (!hasCommand || (system && !user)) {
      problems.push({ line: i + 1, problem: system ? 'a system crontab entry needs a user and a command' : 'a cron entry needs a command' });
      continue;
    }
    entries.push(user ? { schedule, user, command } : { schedule, command });
  }
  return { entries, problems };
}
