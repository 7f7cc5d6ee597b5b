/**
 * Feature probe of the linux-ebpf backend: kernel version, BTF, tracefs, privileges, the
 * native files, and per-kind support. Never throws for a missing feature; reports it with
 * the fix. Mounts tracefs when it is missing and we are root (said in `details`).
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { OBSERVABLE_KINDS, type BackendProbe, type ErrorCode, type KindSupport, type ObservableKind } from '@edrkit/core';
import type { LinuxAddonApi, LinuxHostApi, LinuxOsApi, TracefsState } from './native/addon-api.js';
import { EMBEDDED_BPF_OBJECT, loadAddon, nativeRemedy, requireBpfObject } from './native/load-addon.js';
import { derivedKindSupport } from './probe-b.js';
import { CREDS_OP } from './decode/layout.js';

/**
 * The syscalls whose sys_enter/sys_exit tracepoints `process.credentials` needs
 * (probes-d.bpf.h): one program pair per operation a creds record can carry.
 */
export const CREDENTIAL_SYSCALLS = Object.keys(CREDS_OP) as (keyof typeof CREDS_OP)[];

/** Minimum kernel: ring buffer (5.8), bpf_loop (5.17), BTF raw tracepoints. */
export const MIN_KERNEL = [5, 17] as const;
/** Where the kernel's BTF lives. */
export const BTF_PATH = '/sys/kernel/btf/vmlinux';
/** Where tracefs is expected. */
export const TRACEFS = '/sys/kernel/tracing';

const CAP_SYS_ADMIN = 21;
const CAP_PERFMON = 38;
const CAP_BPF = 39;

/** Kernel release as [major, minor]. */
export function kernelVersion(release: string = os.release()): [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(release);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

/** Effective capabilities of this process (bit set), from /proc/self/status. */
export function effectiveCaps(status?: string): bigint {
  const text = status ?? (() => {
    try {
      return readFileSync('/proc/self/status', 'utf8');
    } catch {
      return '';
    }
  })();
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(text)?.[1];
  return hex ? BigInt(`0x${hex}`) : 0n;
}

/** Whether this process may load and attach tracing BPF programs. */
export function privileges(): { ok: boolean; how: string } {
  const euid = process.geteuid?.() ?? -1;
  const caps = effectiveCaps();
  const has = (c: number) => (caps >> BigInt(c)) & 1n;
  if (euid === 0 && has(CAP_SYS_ADMIN)) return { ok: true, how: 'root' };
  if (has(CAP_BPF) && has(CAP_PERFMON)) return { ok: true, how: 'CAP_BPF+CAP_PERFMON' };
  if (has(CAP_SYS_ADMIN)) return { ok: true, how: 'CAP_SYS_ADMIN' };
  return { ok: false, how: euid === 0 ? 'root without CAP_SYS_ADMIN/CAP_BPF' : `uid ${euid} without CAP_BPF/CAP_PERFMON` };
}

/** The message of ERR_PERMISSION. */
export const PERMISSION_MESSAGE =
  "linux-ebpf needs root, or CAP_BPF and CAP_PERFMON: run as root (sudo), or grant them with 'setcap cap_bpf,cap_perfmon+ep $(readlink -f $(which node))'";

/** Mount tracefs when it is missing and we may (root). Returns what happened. */
export function ensureTracefs(mayMount: boolean): TracefsState {
  if (existsSync(`${TRACEFS}/events`)) return 'mounted';
  // Mounted but mode 0700: an unprivileged user cannot look inside. Say so, not "missing".
  if (tracefsInMountTable()) return 'unreadable';
  if (!mayMount) return 'missing';
  try {
    execFileSync('mount', ['-t', 'tracefs', 'tracefs', TRACEFS], { stdio: 'ignore' });
  } catch {
    return 'missing';
  }
  return existsSync(`${TRACEFS}/events`) ? 'mounted-by-edrkit' : 'missing';
}

function tracefsInMountTable(): boolean {
  try {
    return readFileSync('/proc/self/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === TRACEFS && l.split(' ')[2] === 'tracefs');
  } catch {
    return false;
  }
}

/** Why syscall-tracepoint kinds cannot be checked or used, by tracefs state. */
function tracefsProblem(state: 'unreadable' | 'missing'): string {
  return state === 'unreadable'
    ? `tracefs at ${TRACEFS} is not readable by this user: run as root (or with CAP_BPF+CAP_PERFMON and access to tracefs)`
    : `tracefs is not mounted at ${TRACEFS}: mount -t tracefs tracefs ${TRACEFS}`;
}

/** The real host: this process, this kernel, this file system. */
export const LINUX_HOST: LinuxHostApi = {
  platform: process.platform,
  pid: process.pid,
  procRoot: '/proc',
  passwdPath: '/etc/passwd',
  kernelRelease: () => os.release(),
  exists: existsSync,
  privileges,
  isRoot: () => process.geteuid?.() === 0,
  ensureTracefs,
};

/** The OS API with every part present: the real host, and the real addon loaded on first use. */
export function resolveLinuxOs(api: LinuxOsApi = {}): { addon: () => LinuxAddonApi; host: LinuxHostApi } {
  const given = api.addon;
  return {
    // loadAddon() caches the real addon, so calling it on each use costs a lookup.
    addon: given === undefined ? () => loadAddon() : typeof given === 'function' ? given : () => given,
    host: api.host ?? LINUX_HOST,
  };
}

const supported = (note?: string): KindSupport => (note ? { supported: true, note } : { supported: true });
const unsupported = (reason: string): KindSupport => ({ supported: false, reason });

/** Why a kind without a probe here is unsupported: Windows-only concepts, or no probe written yet. */
function notOnLinux(kind: ObservableKind): string {
  if (kind.startsWith('registry.')) return 'Windows only (registry)';
  if (kind.startsWith('pipe.') || kind.startsWith('wmi.')) return `Windows only (${kind.split('.')[0] === 'pipe' ? 'named pipes' : 'WMI'})`;
  return 'linux-ebpf has no probe for this kind yet (event model v1.1 kind; see docs/platform-support.md)';
}

/** Per-kind support on this host (tracefs state decides what can be checked). */
export function kindSupport(tracefs: boolean, state: 'unreadable' | 'missing' = 'missing', exists: (path: string) => boolean = existsSync): Record<ObservableKind, KindSupport> {
  const kinds = Object.fromEntries(OBSERVABLE_KINDS.map((k) => [k, unsupported(notOnLinux(k))])) as Record<ObservableKind, KindSupport>;
  kinds['process.exec'] = supported('sched_process_exec raw tracepoint; argv capped at 4096 bytes');
  kinds['process.fork'] = supported('sched_process_fork raw tracepoint (processes, not threads)');
  kinds['process.exit'] = supported('sched_process_exit raw tracepoint (main thread exit)');
  const tp = (note: string): KindSupport => (tracefs ? supported(note) : unsupported(tracefsProblem(state)));
  kinds['file.create'] = tp('open/openat/openat2/creat with FMODE_CREATED, mkdir/mkdirat, memfd_create');
  kinds['file.open'] = tp('every successful open (high volume: asked for by name); by default only block-device reads (file.type "block", raw access reads), filtered in the kernel');
  kinds['file.modify'] = tp('open for write/truncate of an existing file, truncate(2); not each write(2)');
  kinds['file.delete'] = tp('unlink/unlinkat/rmdir');
  kinds['file.rename'] = tp('rename/renameat/renameat2');
  kinds['file.attr'] = tp('chmod/fchmod/fchmodat(2), chown/lchown/fchown/fchownat');
  kinds['net.connect'] = tp('connect(2) on TCP/UDP sockets, IPv4/IPv6 (also EINPROGRESS)');
  kinds['net.accept'] = tp('accept/accept4 on TCP sockets');
  kinds['net.listen'] = tp('listen(2) (TCP), bind(2) of UDP sockets');
  kinds['dns.query'] = tp('UDP datagrams to port 53 via sendto/sendmsg/sendmmsg; not write(2), TCP, DoT or DoH');
  kinds['image.load'] = tp('sys_enter/exit_mmap with PROT_EXEC of a file: shared objects and dlopen(), once per address space and file; the main executable is process.exec');
  kinds['kmod.load'] = !tracefs
    ? unsupported(tracefsProblem(state))
    : exists(`${TRACEFS}/events/syscalls/sys_enter_finit_module`)
      ? supported('init_module/finit_module (name from the file for finit_module)')
      : unsupported('this kernel has no init_module/finit_module tracepoints (built without CONFIG_MODULES)');
  // Part A (issue 14a): each kind needs its syscall tracepoints; a kernel without one says so.
  const needs = (tracepoints: string[], note: string): KindSupport => {
    if (!tracefs) return unsupported(tracefsProblem(state));
    const missing = tracepoints.filter((t) => !exists(`${TRACEFS}/events/syscalls/sys_enter_${t}`));
    return missing.length ? unsupported(`this kernel has no ${missing.map((t) => `sys_enter_${t}`).join(', ')} tracepoint`) : supported(note);
  };
  kinds['process.access'] = needs(['ptrace', 'process_vm_readv'], 'ptrace attach/seize/peek/get*, process_vm_readv, open of another process\'s /proc/PID/mem for reading; after success; repeated peeks and reads once per caller, target and request');
  kinds['process.tamper'] = needs(['ptrace', 'process_vm_writev'], 'ptrace poke/set*, process_vm_writev, open of another process\'s /proc/PID/mem for writing; after success; repeats once per caller, target and request');
  kinds['bpf.load'] = needs(['bpf'], 'bpf(2) PROG_LOAD, PROG_ATTACH, RAW_TRACEPOINT_OPEN, LINK_CREATE after success (not the perf_event ioctl attach); program facts from the kernel');
  // Part D (issue 14d): every call of the family, or the kind is not offered (never half of it).
  kinds['process.credentials'] = needs(
    CREDENTIAL_SYSCALLS,
    'setuid, setgid, setre[ug]id, setres[ug]id, setfs[ug]id, setgroups, capset: current->cred compared at sys_enter and sys_exit, sent only when ids, groups or capabilities changed (once per process for glibc\'s per-thread repeat); not set*id by exec of a setuid file (that is process.exec), nor prctl capability changes',
  );
  Object.assign(kinds, derivedKindSupport(tracefs, state, exists));
  return kinds;
}

/**
 * Probe the linux-ebpf backend on this host (or on the host and addon of `options.os`, e.g.
 * the fake of `@edrkit/linux/testing`).
 */
export async function probeLinuxEbpf(options: { objectPath?: string; os?: LinuxOsApi } = {}): Promise<BackendProbe> {
  const id = 'linux-ebpf';
  const { addon, host } = resolveLinuxOs(options.os);
  const none = kindSupport(false);
  if (host.platform !== 'linux') {
    const reason = `linux-ebpf runs on Linux only (this is ${host.platform})`;
    return { id, available: false, code: 'ERR_NOT_SUPPORTED', reason, kinds: Object.fromEntries(Object.keys(none).map((k) => [k, unsupported(reason)])) as typeof none };
  }
  const release = host.kernelRelease();
  const [major, minor] = kernelVersion(release);
  const btf = host.exists(BTF_PATH);
  const priv = host.privileges();
  const tracefsState = host.ensureTracefs(priv.ok && host.isRoot());
  const tracefs = tracefsState === 'mounted' || tracefsState === 'mounted-by-edrkit';
  const tracefsUnusable = tracefsState === 'unreadable' ? 'unreadable' : 'missing';
  const details: Record<string, string | number | boolean> = {
    kernelRelease: release,
    minimumKernel: `${MIN_KERNEL[0]}.${MIN_KERNEL[1]}`,
    btf,
    tracefs: tracefsState,
    ringBuffer: major > 5 || (major === 5 && minor >= 8),
    privileges: priv.how,
    bpfObject: options.objectPath ?? EMBEDDED_BPF_OBJECT,
  };
  let addonError: Error | undefined;
  try {
    details.libbpf = addon().libbpfVersion();
  } catch (err) {
    addonError = err as Error;
  }
  const objectPath = options.objectPath;
  const kinds = (usable: boolean) => kindSupport(usable, tracefsUnusable, host.exists);
  const fail = (code: ErrorCode, reason: string): BackendProbe => ({ id, available: false, code, reason, kinds: kinds(tracefs), details });
  if (major < MIN_KERNEL[0] || (major === MIN_KERNEL[0] && minor < MIN_KERNEL[1])) {
    return fail('ERR_NOT_SUPPORTED', `kernel ${release} is too old: linux-ebpf needs Linux ${MIN_KERNEL.join('.')} or newer (ring buffer, bpf_loop)`);
  }
  if (!btf) {
    return fail('ERR_NOT_SUPPORTED', `${BTF_PATH} is missing: linux-ebpf needs a kernel built with CONFIG_DEBUG_INFO_BTF=y`);
  }
  if (!priv.ok) return fail('ERR_PERMISSION', PERMISSION_MESSAGE);
  if (addonError) return fail('ERR_NATIVE_MISSING', addonError.message);
  if (objectPath !== undefined) {
    try {
      requireBpfObject(objectPath, undefined, host.exists);
    } catch (err) {
      return fail('ERR_NATIVE_MISSING', (err as Error).message);
    }
  }
  if (!tracefs) {
    if (tracefsState === 'unreadable') return fail('ERR_PERMISSION', tracefsProblem('unreadable'));
    return fail('ERR_NOT_SUPPORTED', `tracefs is not mounted at ${TRACEFS} and could not be mounted: run 'mount -t tracefs tracefs ${TRACEFS}' as root`);
  }
  return { id, available: true, kinds: kinds(true), details };
}
