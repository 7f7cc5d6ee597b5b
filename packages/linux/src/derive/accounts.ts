/**
 * /etc/passwd, /etc/shadow and /etc/group: parsed into accounts, and two states compared
 * into `account.create` / `.modify` / `.delete` changes. The password hash is never kept:
 * only a digest of the shadow field, so "password changed" can be said without the hash.
 * Parsing is total: a bad line is a problem (file, line, why), never an exception.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import type { Account } from '@edrkit/core';

/** One local account as the three files describe it. */
export interface AccountEntry {
  name: string;
  uid: number;
  home: string;
  shell: string;
  /** sha256 of the shadow password field (never the field itself); undefined without shadow. */
  passwordDigest?: string;
  /** Enabled: the shadow field is not locked (`!`/`*` prefix) and the shell is not nologin/false. */
  enabled: boolean;
  /** Supplementary groups (from /etc/group member lists), sorted. */
  groups: string[];
}

/** A line that could not be parsed. */
export interface ParseProblem {
  line: number;
  problem: string;
}

/** Longest line considered (longer ones are problems, not parsed). */
const MAX_LINE = 64 * 1024;

function lines(text: string): { n: number; text: string }[] {
  const out: { n: number; text: string }[] = [];
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const t = all[i]!.replace(/\r$/, '');
    if (t === '' || t.startsWith('#')) continue;
    out.push({ n: i + 1, text: t });
  }
  return out;
}

/** passwd(5): name:password:uid:gid:gecos:home:shell. */
export function parsePasswd(text: string): { entries: Map<string, { uid: number; home: string; shell: string }>; problems: ParseProblem[] } {
  const entries = new Map<string, { uid: number; home: string; shell: string }>();
  const problems: ParseProblem[] = [];
  for (const { n, text: l } of lines(text)) {
    if (l.length > MAX_LINE) {
      problems.push({ line: n, problem: `line longer than ${MAX_LINE} characters` });
      continue;
    }
    // NIS compat lines (+, -) are not local accounts.
    if (l.startsWith('+') || l.startsWith('-')) continue;
    const f = l.split(':');
    if (f.length !== 7 || !f[0] || !/^\d{1,10}$/.test(f[2]!)) {
      problems.push({ line: n, problem: 'not a passwd entry (name:password:uid:gid:gecos:home:shell)' });
      continue;
    }
    entries.set(f[0], { uid: Number(f[2]), home: f[5]!, shell: f[6]! });
  }
  return { entries, problems };
}

/** shadow(5): name:password:...; returns a digest of the password field per name. */
export function parseShadow(text: string): { entries: Map<string, { digest: string; locked: boolean }>; problems: ParseProblem[] } {
  const entries = new Map<string, { digest: string; locked: boolean }>();
  const problems: ParseProblem[] = [];
  for (const { n, text: l } of lines(text)) {
    const f = l.split(':');
    if (f.length < 2 || !f[0] || l.length > MAX_LINE) {
      problems.push({ line: n, problem: 'not a shadow entry (name:password:…)' });
      continue;
    }
    const pw = f[1]!;
    // A locked account is "!" + hash: the digest of the hash part, so locking is not a password change.
    const locked = pw.startsWith('!') || pw === '*';
    entries.set(f[0], { digest: createHash('sha256').update(pw.replace(/^!+/, '')).digest('hex'), locked });
  }
  return { entries, problems };
}

/** group(5): name:password:gid:member,member. Returns groups per member. */
export function parseGroup(text: string): { memberOf: Map<string, string[]>; problems: ParseProblem[] } {
  const memberOf = new Map<string, string[]>();
  const problems: ParseProblem[] = [];
  for (const { n, text: l } of lines(text)) {
    const f = l.split(':');
    if (f.length !== 4 || !f[0] || !/^\d{1,10}$/.test(f[2]!) || l.length > MAX_LINE) {
      problems.push({ line: n, problem: 'not a group entry (name:password:gid:members)' });
      continue;
    }
    for (const m of f[3]!.split(',')) {
      if (!m) continue;
      const list = memberOf.get(m) ?? [];
      list.push(f[0]);
      memberOf.set(m, list);
    }
  }
  return { memberOf, problems };
}

const NO_LOGIN = /\/(nologin|false)$/;

/** Accounts from the three files' text (shadow or group may be absent). */
export function accountsFrom(passwd: string, shadow: string | undefined, group: string | undefined): { accounts: Map<string, AccountEntry>; problems: { file: 'passwd' | 'shadow' | 'group'; line: number; problem: string }[] } {
  const p = parsePasswd(passwd);
  const s = shadow !== undefined ? parseShadow(shadow) : undefined;
  const g = group !== undefined ? parseGroup(group) : undefined;
  const accounts = new Map<string, AccountEntry>();
  for (const [name, e] of p.entries) {
    const sh = s?.entries.get(name);
    const a: AccountEntry = {
      name,
      uid: e.uid,
      home: e.home,
      shell: e.shell,
      enabled: !(sh?.locked ?? false) && !NO_LOGIN.test(e.shell),
      groups: [...(g?.memberOf.get(name) ?? [])].sort(),
    };
    if (sh) a.passwordDigest = sh.digest;
    accounts.set(name, a);
  }
  const problems = [
    ...p.problems.map((x) => ({ file: 'passwd' as const, ...x })),
    ...(s?.problems ?? []).map((x) => ({ file: 'shadow' as const, ...x })),
    ...(g?.problems ?? []).map((x) => ({ file: 'group' as const, ...x })),
  ];
  return { accounts, problems };
}

/** One account change between two states. */
export interface AccountChange {
  kind: 'account.create' | 'account.modify' | 'account.delete';
  account: Account;
}

/**
 * The changes from `before` to `after`. A rename (same uid, one name gone, one new) is one
 * `account.modify` with `changes.name`; otherwise a new name is a create and a gone one a delete.
 */
export function diffAccounts(before: ReadonlyMap<string, AccountEntry>, after: ReadonlyMap<string, AccountEntry>): AccountChange[] {
  const out: AccountChange[] = [];
  const gone = [...before.values()].filter((a) => !after.has(a.name));
  const added = [...after.values()].filter((a) => !before.has(a.name));
  const renamedFrom = new Map<string, AccountEntry>();
  for (const a of added) {
    const old = gone.find((o) => o.uid === a.uid && !renamedFrom.has(o.name));
    if (old && gone.length === 1 && added.length === 1) renamedFrom.set(old.name, a);
  }
  for (const o of gone) {
    const to = renamedFrom.get(o.name);
    if (to) out.push({ kind: 'account.modify', account: { name: o.name, uid: to.uid, changes: { ...fieldChanges(o, to), name: to.name } } });
    else out.push({ kind: 'account.delete', account: { name: o.name, uid: o.uid } });
  }
  const renamedTo = new Set([...renamedFrom.values()].map((a) => a.name));
  for (const a of added) if (!renamedTo.has(a.name)) out.push({ kind: 'account.create', account: { name: a.name, uid: a.uid } });
  for (const a of after.values()) {
    const o = before.get(a.name);
    if (!o) continue;
    const changes = fieldChanges(o, a);
    if (Object.keys(changes).length) out.push({ kind: 'account.modify', account: { name: a.name, uid: a.uid, changes } });
  }
  return out;
}

function fieldChanges(o: AccountEntry, a: AccountEntry): NonNullable<Account['changes']> {
  const c: NonNullable<Account['changes']> = {};
  // Only when both states have a shadow entry: one appearing is the rest of a creation.
  const shadowBoth = o.passwordDigest !== undefined && a.passwordDigest !== undefined;
  if (shadowBoth && o.passwordDigest !== a.passwordDigest) c.password = true;
  if (o.groups.join(',') !== a.groups.join(',')) c.groups = a.groups;
  if (o.shell !== a.shell) c.shell = a.shell;
  if (o.home !== a.home) c.home = a.home;
  if ((shadowBoth || o.shell !== a.shell) && o.enabled !== a.enabled) c.enabled = a.enabled;
  return c;
}
