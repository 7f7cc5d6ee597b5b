/**
 * A fake Linux host ({@link LinuxHostApi}) for the probe and the backend: a capable kernel,
 * privileges and tracefs by default, each fact overridable, and no real file read (the
 * process cache looks in a /proc that does not exist, so only records fill it).
 *
 * @module
 */
import type { LinuxHostApi, LinuxOsApi, TracefsState } from '../native/addon-api.js';
import { BTF_PATH, TRACEFS } from '../probe.js';
import { DEFAULT_BPF_OBJECT } from '../native/load-addon.js';
import { FakeLinuxAddon } from './fake-addon.js';

/** What {@link fakeLinuxHost} models. */
export interface FakeLinuxHostInit {
  platform?: NodeJS.Platform;
  /** Default 6.12.0-fake. */
  kernelRelease?: string;
  /** Default true. */
  btf?: boolean;
  /** Default `{ ok: true, how: 'root' }`. */
  privileges?: { ok: boolean; how: string };
  /** Default 'mounted'. */
  tracefs?: TracefsState;
  /** Whether the BPF object (any path) exists; default true. */
  bpfObject?: boolean;
  /** Default 4242. */
  pid?: number;
  /** The account file for user names (default: none, so no names). */
  passwdPath?: string;
  /** The /proc root (default: a path that does not exist). */
  procRoot?: string;
  /** Other files that exist: default Debian's libpam and bash, which the uprobes attach to. */
  files?: readonly string[];
}

/** A host for tests; see {@link FakeLinuxHostInit} for the defaults. */
export function fakeLinuxHost(init: FakeLinuxHostInit = {}): LinuxHostApi {
  const btf = init.btf ?? true;
  const tracefs = init.tracefs ?? 'mounted';
  const bpfObject = init.bpfObject ?? true;
  const files = new Set(init.files ?? ['/lib/x86_64-linux-gnu/libpam.so.0', '/usr/bin/bash']);
  return {
    platform: init.platform ?? 'linux',
    pid: init.pid ?? 4242,
    procRoot: init.procRoot ?? '/nonexistent/edrkit-fake/proc',
    passwdPath: init.passwdPath ?? '/nonexistent/edrkit-fake/passwd',
    kernelRelease: () => init.kernelRelease ?? '6.12.0-fake',
    exists: (p) => {
      if (p === BTF_PATH) return btf;
      if (p.startsWith(`${TRACEFS}/`)) return tracefs === 'mounted' || tracefs === 'mounted-by-edrkit';
      if (p.endsWith('.bpf.o') || p === DEFAULT_BPF_OBJECT) return bpfObject;
      return files.has(p);
    },
    privileges: () => init.privileges ?? { ok: true, how: 'root' },
    isRoot: () => (init.privileges?.how ?? 'root') === 'root',
    ensureTracefs: () => tracefs,
  };
}

/** A fake addon and host together, ready for `new LinuxEbpfBackend(options, os)`. */
export function fakeLinuxOs(init: FakeLinuxHostInit = {}): { addon: FakeLinuxAddon; host: LinuxHostApi } & LinuxOsApi {
  return { addon: new FakeLinuxAddon(), host: fakeLinuxHost(init) };
}
