/**
 * systemd unit files (systemd.unit(5)): sections of `Key=Value` lines. What the derivations
 * need: `ExecStart`, `User`, `WantedBy` of a service; `OnCalendar` / `OnBootSec` / … and
 * `Unit` of a timer. Parsing is total: a bad line is a problem, never an exception.
 *
 * @module
 */
import type { ParseProblem } from './accounts.js';

/** A unit file: section -> key -> values (a key may repeat). */
export type UnitFile = Map<string, Map<string, string[]>>;

/** Parse a unit file (line continuations with a trailing `\` are joined). */
export function parseUnit(text: string): { unit: UnitFile; problems: ParseProblem[] } {
  const unit: UnitFile = new Map();
  const problems: ParseProblem[] = [];
  let section: Map<string, string[]> | undefined;
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const n = i + 1;
    let l = all[i]!.replace(/\r$/, '');
    while (l.endsWith('\\') && i + 1 < all.length) l = `${l.slice(0, -1)} ${all[++i]!.replace(/\r$/, '')}`;
    l = l.trim();
    if (l === '' || l.startsWith('#') || l.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(l);
    if (sec) {
      section = unit.get(sec[1]!) ?? new Map();
      unit.set(sec[1]!, section);
      continue;
    }
    const eq = l.indexOf('=');
    if (eq <= 0 || !section) {
      problems.push({ line: n, problem: section ? 'not a Key=Value line' : 'a Key=Value line before any [Section]' });
      continue;
    }
    const key = l.slice(0, eq).trim();
    const value = l.slice(eq + 1).trim();
    // An empty assignment resets the list (systemd semantics).
    if (value === '') section.set(key, []);
    else section.set(key, [...(section.get(key) ?? []), value]);
  }
  return { unit, problems };
}

/** The last value of a key, or undefined. */
export function unitValue(unit: UnitFile, section: string, key: string): string | undefined {
  const v = unit.get(section)?.get(key);
  return v?.length ? v[v.length - 1] : undefined;
}

/** Every value of a key. */
export function unitValues(unit: UnitFile, section: string, key: string): string[] {
  return unit.get(section)?.get(key) ?? [];
}

/** The timer keys that schedule, as `Key=value` joined by `; ` (`OnCalendar=daily`). */
export function timerSchedule(unit: UnitFile): string | undefined {
  const keys = ['OnCalendar', 'OnBootSec', 'OnStartupSec', 'OnActiveSec', 'OnUnitActiveSec', 'OnUnitInactiveSec'];
  const parts = keys.flatMap((k) => unitValues(unit, 'Timer', k).map((v) => `${k}=${v}`));
  return parts.length ? parts.join('; ') : undefined;
}
