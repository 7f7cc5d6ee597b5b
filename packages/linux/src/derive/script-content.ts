/**
 * `script.content` derived in user space from `process.exec` records: inline code given to a
 * shell or interpreter on its command line (`sh -c`, `python3 -c`, `perl -e`, `node -e`,
 * `ruby -e`, `php -r`, …), and the first {@link MAX_SCRIPT_CONTENT} bytes of a script run by
 * path (`bash x.sh`, `python3 x.py`, or a `#!` script: the kernel then runs the interpreter
 * with the script's path as its first argument). The script file is read when the exec record
 * arrives, so a script changed or deleted in that instant is read as it is then (or not at all).
 *
 * Interactive commands typed into bash (readline) are not covered: they need a uprobe on
 * bash's `readline`, which this backend does not attach yet.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MAX_SCRIPT_CONTENT, type Script } from '@edrkit/core';

/** Interpreters by basename (versions stripped: python3.11 -> python3), and the flags that take inline code. */
const INLINE_FLAGS: Record<string, readonly string[]> = {
  sh: ['-c'], bash: ['-c'], dash: ['-c'], zsh: ['-c'], ksh: ['-c'], mksh: ['-c'], ash: ['-c'], busybox: ['-c'], fish: ['-c', '--command'],
  python: ['-c'], python2: ['-c'], python3: ['-c'], pypy: ['-c'], pypy3: ['-c'],
  perl: ['-e', '-E'], ruby: ['-e'], node: ['-e', '--eval', '-p', '--print'], nodejs: ['-e', '--eval', '-p', '--print'],
  php: ['-r'], lua: ['-e'], tclsh: [], awk: [], osascript: ['-e'], pwsh: ['-c', '-Command', '-command'],
};

/** Options of each interpreter that take a value (so the value is not mistaken for the script path). */
const VALUE_OPTS: Record<string, readonly string[]> = {
  python3: ['-W', '-X', '-m'], python: ['-W', '-X', '-m'], bash: ['-o', '-O', '--rcfile', '--init-file'], sh: ['-o'], node: ['-r', '--require', '--import', '--loader'], perl: ['-I', '-M', '-m'], ruby: ['-I', '-r'],
};

/** The interpreter name of an exe path or argv[0] (`/usr/bin/python3.11` -> `python3`), if it is one. */
export function interpreterOf(exeOrArg0: string): string | undefined {
  const base = exeOrArg0.slice(exeOrArg0.lastIndexOf('/') + 1).replace(/^(python[23]?|pypy3?|lua|php|ruby|perl|tclsh)[\d.]+$/, '$1');
  return Object.hasOwn(INLINE_FLAGS, base) ? base : undefined;
}

/** The script of an exec: inline code, or the path of a script file to read. */
export function scriptOfArgs(exe: string, args: readonly string[]): { interpreter: string; inline?: string; path?: string } | undefined {
  const interpreter = interpreterOf(exe) ?? (args[0] ? interpreterOf(args[0]) : undefined);
  if (!interpreter) return undefined;
  const flags = INLINE_FLAGS[interpreter]!;
  const takesValue = VALUE_OPTS[interpreter] ?? [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (flags.includes(a)) return args[i + 1] !== undefined ? { interpreter, inline: args[i + 1]! } : undefined;
    // Combined short flags such as `bash -xc CODE` or `sh -ec CODE`.
    if (flags.includes('-c') && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a) && a.length > 2) return args[i + 1] !== undefined ? { interpreter, inline: args[i + 1]! } : undefined;
    if (a === '-m' && interpreter.startsWith('py')) return undefined; // a module, not a file
    if (a === '--' ) return args[i + 1] ? { interpreter, path: args[i + 1]! } : undefined;
    if (takesValue.includes(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    return { interpreter, path: a };
  }
  return undefined;
}

/** Read at most MAX_SCRIPT_CONTENT bytes of a script file; undefined when it cannot be read. */
export function readScript(file: string): { content: string; truncated: boolean } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const buf = Buffer.alloc(Math.min(st.size, MAX_SCRIPT_CONTENT));
    let n = 0;
    for (let r; n < buf.length && (r = readSync(fd, buf, n, buf.length - n, null)) > 0; ) n += r;
    // Cut to whole characters: MAX_SCRIPT_CONTENT counts characters in the schema.
    const content = buf.toString('utf8', 0, n).slice(0, MAX_SCRIPT_CONTENT);
    return { content, truncated: st.size > n };
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The `script.content` payload of an exec, or undefined. `cwd` resolves a relative script path. */
export function scriptContent(exe: string, args: readonly string[], cwd: string | undefined, read = readScript): Script | undefined {
  const s = scriptOfArgs(exe, args);
  if (!s) return undefined;
  if (s.inline !== undefined) {
    const truncated = s.inline.length > MAX_SCRIPT_CONTENT;
    return { interpreter: s.interpreter, content: truncated ? s.inline.slice(0, MAX_SCRIPT_CONTENT) : s.inline, truncated };
  }
  if (!s.path) return undefined;
  const file = s.path.startsWith('/') || !cwd ? s.path : `${cwd.replace(/\/$/, '')}/${s.path}`;
  const r = read(file);
  return r ? { interpreter: s.interpreter, content: r.content, truncated: r.truncated, path: file } : undefined;
}
