/**
 * The flags shared by every command that reads events (watch, record, replay, detect,
 * plugin run): kinds, filters, queue, duration, format.
 *
 * @module
 */
import { EVENT_KINDS, InvalidArgumentError, OVERFLOW_POLICIES, type EventFilter, type EventKind, type OverflowPolicy } from '@edrkit/core';
import { Option, type Command } from 'commander';
import { backendChoices } from './backends.js';

/** Parsed values of the shared flags. */
export interface SensorFlags {
  kinds?: string;
  duration?: string;
  backend?: string;
  pid?: string[];
  excludePid?: string[];
  ppid?: string[];
  uid?: string[];
  user?: string[];
  exe?: string[];
  name?: string[];
  path?: string[];
  includeSelf?: boolean;
  maxQueue?: string;
  overflow?: string;
  format?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

/** Add the filter and queue flags to a command. */
export function addFilterFlags(cmd: Command): Command {
  return cmd
    .option('--kinds <list>', 'event kinds to deliver, comma-separated; `file.*` selects a family (default: all supported but file.open)')
    .option('--pid <pid>', 'only these acting pids (repeatable, comma-separated)', collect)
    .option('--exclude-pid <pid>', 'drop these pids', collect)
    .option('--ppid <pid>', 'only processes with these parent pids', collect)
    .option('--uid <uid>', 'only these numeric user ids (filtered in the kernel where the backend can)', collect)
    .option('--user <uid|SID|name>', 'only these users: a uid (1000), a Windows SID (S-1-5-18) or a user name (alice, or DOMAIN\\alice)', collect)
    .option('--exe <prefix|glob>', "only process images under this path prefix or matching this glob (Windows events: case-insensitive, \\ separates: 'c:\\windows\\*')", collect)
    .option('--name <name|glob>', 'only processes with this name (image basename)', collect)
    .option('--path <prefix|glob>', 'only file events on these paths', collect)
    .option('--include-self', "also report edrkit's own activity")
    .option('--max-queue <n>', 'queue capacity in events (default 10000)')
    .addOption(new Option('--overflow <policy>', 'what a full queue drops').choices([...OVERFLOW_POLICIES]));
}

/** Add --duration and --backend. */
export function addLiveFlags(cmd: Command): Command {
  return cmd
    .option('--duration <seconds>', 'stop after this many seconds')
    .option('--backend <name>', `backend: ${backendChoices()} (default auto)`);
}

/**
 * A parsed `--kinds` list: every kind selected, and which of them were named one by one.
 * A `family.*` is a selection ("whatever of this family the backend produces"), so its kinds
 * may be absent on a backend; a kind named explicitly must be produced, or the open fails.
 */
export interface KindSelection {
  kinds: EventKind[];
  explicit: EventKind[];
}

/** Parse a `--kinds` list; `family.*` expands. Throws naming the bad entry. */
export function parseKindSelection(list: string | undefined): KindSelection | undefined {
  if (list === undefined) return undefined;
  const out = new Set<EventKind>();
  const explicit = new Set<EventKind>();
  for (const raw of list.split(',').map((s) => s.trim()).filter(Boolean)) {
    const family = raw.endsWith('.*');
    const matches = family ? EVENT_KINDS.filter((k) => k.startsWith(raw.slice(0, -1))) : EVENT_KINDS.filter((k) => k === raw);
    if (!matches.length) throw new InvalidArgumentError(`--kinds: unknown kind '${raw}'; valid kinds: ${EVENT_KINDS.join(', ')}`);
    for (const k of matches) {
      out.add(k);
      if (!family) explicit.add(k);
    }
  }
  return { kinds: [...out], explicit: [...explicit] };
}

/** Parse a `--kinds` list into the kinds it selects; `family.*` expands. Throws naming the bad entry. */
export function parseKinds(list: string | undefined): EventKind[] | undefined {
  return parseKindSelection(list)?.kinds;
}

function ints(values: string[] | undefined, flag: string): number[] | undefined {
  if (!values) return undefined;
  return values.map((v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${flag}: '${v}' is not a non-negative integer`);
    return Number(v);
  });
}

/** Build the sensor filter from the flags. */
export function parseFilter(flags: SensorFlags): EventFilter {
  const filter: EventFilter = {};
  const set = <K extends keyof EventFilter>(k: K, v: EventFilter[K] | undefined) => {
    if (v !== undefined) filter[k] = v;
  };
  set('pids', ints(flags.pid, '--pid'));
  set('excludePids', ints(flags.excludePid, '--exclude-pid'));
  set('ppids', ints(flags.ppid, '--ppid'));
  set('uids', ints(flags.uid, '--uid'));
  set('users', flags.user);
  set('exe', flags.exe);
  set('names', flags.name);
  set('paths', flags.path);
  if (flags.includeSelf) filter.includeSelf = true;
  return filter;
}

/** Parse --duration into milliseconds. */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`--duration: '${value}' is not a positive number of seconds`);
  return n * 1000;
}

/** Parse --max-queue and --overflow. */
export function parseQueue(flags: SensorFlags): { maxQueue?: number; overflow?: OverflowPolicy } {
  const out: { maxQueue?: number; overflow?: OverflowPolicy } = {};
  if (flags.maxQueue !== undefined) {
    if (!/^\d+$/.test(flags.maxQueue) || Number(flags.maxQueue) < 1) {
      throw new InvalidArgumentError(`--max-queue: '${flags.maxQueue}' is not a positive integer`);
    }
    out.maxQueue = Number(flags.maxQueue);
  }
  if (flags.overflow !== undefined) out.overflow = flags.overflow as OverflowPolicy;
  return out;
}
