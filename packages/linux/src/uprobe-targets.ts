/**
 * Where the user-space probes of probes-b.bpf.h attach: libpam (logons) and bash (interactive
 * lines). Their BPF sections name Debian's x86-64 paths; other distributions and arm64 keep
 * libpam elsewhere (`/usr/lib64`, `/lib/aarch64-linux-gnu`), so the backend looks for the
 * files at start and hands the addon the paths it found.
 *
 * @module
 */

/** Library directories searched for libpam, this machine's architecture first. */
export function libraryDirs(arch: string = process.arch): string[] {
  const triplets = arch === 'arm64' ? ['aarch64-linux-gnu', 'x86_64-linux-gnu'] : ['x86_64-linux-gnu', 'aarch64-linux-gnu'];
  return [...triplets.flatMap((t) => [`/lib/${t}`, `/usr/lib/${t}`]), '/usr/lib64', '/lib64', '/usr/lib', '/lib'];
}

/** Where bash is looked for. */
export const BASH_PATHS = ['/usr/bin/bash', '/bin/bash'] as const;

/** The files the probes attach to; undefined where none was found. */
export interface UprobeFiles {
  /** libpam.so.0: pam_authenticate, pam_open_session, pam_close_session. */
  pam: string | undefined;
  /** bash: readline. */
  bash: string | undefined;
}

/** Find libpam and bash with `exists` (the host's, so tests can hand a fake file system). */
export function findUprobeFiles(exists: (path: string) => boolean, arch: string = process.arch): UprobeFiles {
  return {
    pam: libraryDirs(arch).map((d) => `${d}/libpam.so.0`).find(exists),
    bash: BASH_PATHS.find(exists),
  };
}

/** The addon's `uprobeTargets`: program-name prefix → file, for the files that were found. */
export function uprobeTargets(files: UprobeFiles): { prefix: string; path: string }[] {
  const out: { prefix: string; path: string }[] = [];
  if (files.pam) out.push({ prefix: 'edrkit_pam_', path: files.pam });
  if (files.bash) out.push({ prefix: 'edrkit_rl_', path: files.bash });
  return out;
}
