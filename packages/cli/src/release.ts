/**
 * Keep the kernel's teardown cost off the CLI's exit. Detaching ~60 tracepoints waits for
 * RCU grace periods in the kernel (2–5 s, also when the process just exits, because the
 * last close of each BPF link happens before the parent is told of the exit). So before
 * the sensor closes, the process's BPF and perf-event descriptors are duplicated into a
 * small detached helper (`sh` waiting on a pipe): the CLI's own closes are then cheap, it
 * prints its stats and exits at once, and the helper, told by EOF that the CLI is done,
 * exits and releases the programs in the background, in its own session.
 *
 * Linux only (it reads /proc/self/fd); elsewhere, or when nothing BPF is open, it does nothing.
 *
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';

/** Descriptors whose last close detaches or frees kernel objects. */
const KERNEL_OBJECT = /^anon_inode:(bpf[-_](link|prog|map)|btf|\[perf_event\])$/;

/** Open descriptors of this process that refer to BPF objects or perf events. */
export function kernelObjectFds(): number[] {
  if (process.platform !== 'linux') return [];
  let names: string[];
  try {
    names = readdirSync('/proc/self/fd');
  } catch {
    return [];
  }
  const fds: number[] = [];
  for (const name of names) {
    try {
      if (KERNEL_OBJECT.test(readlinkSync(`/proc/self/fd/${name}`))) fds.push(Number(name));
    } catch {
      // The fd of the directory listing itself is gone by now.
    }
  }
  return fds;
}

/** A helper holding copies of the kernel-object descriptors; `release()` lets it go. */
export interface Handoff {
  /** Number of descriptors handed over. */
  count: number;
  /** Tell the helper this process has closed its copies: it exits and the kernel tears down. */
  release(): void;
}

/**
 * Hand this process's BPF descriptors to a background helper. Returns undefined when there is
 * nothing to hand over or the helper cannot start (then the close simply takes its usual time).
 */
export function handOffKernelObjects(): Handoff | undefined {
  const fds = kernelObjectFds();
  if (!fds.length) return undefined;
  let child: ChildProcess;
  try {
    // fds 0-2 are /dev/null except stdin, the pipe whose EOF ends the helper; the rest are the
    // copies. detached: its own session, so a terminal's Ctrl-C or hang-up never reaches it.
    child = spawn('/bin/sh', ['-c', 'read _ || :'], { stdio: ['pipe', 'ignore', 'ignore', ...fds], detached: true });
  } catch {
    return undefined;
  }
  child.on('error', () => {}); // a helper that failed to start only costs the slower close
  child.unref();
  const stdin = child.stdin;
  stdin?.on('error', () => {});
  (stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return { count: fds.length, release: () => stdin?.end() };
}
