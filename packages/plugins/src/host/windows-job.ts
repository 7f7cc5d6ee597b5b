/**
 * Windows confinement of a plugin child: a Job Object per child (win32/job-limits.ts for
 * the limits, win32/kernel32.ts for the calls through koffi). koffi, an optional
 * dependency, is loaded lazily and only when a child is confined on win32.
 *
 * Node's `spawn` cannot create a suspended process, so the child is assigned to its job
 * right after `spawn()` returns — before the host sends it the plugin's code over the
 * channel, so every limit holds before any plugin code runs.
 *
 * Not implemented: a restricted token (CreateRestrictedToken with DISABLE_MAX_PRIVILEGE |
 * LUA_TOKEN) and an AppContainer for the network. Both must be given to
 * CreateProcessAsUserW / a STARTUPINFOEX at creation time, which Node's spawn cannot do;
 * they need a small native launcher, as on Linux.
 *
 * Status: contract-tested on Linux (struct layouts, limits, the order of calls); not yet
 * run on a real Windows (docs/plugins.md).
 *
 * @module
 */
import { createRequire } from 'node:module';
import type { LayerState, SandboxReport } from './confinement.js';
import { jobExtendedLimits, jobUiRestrictions, type JobLimitOptions } from './win32/job-limits.js';
import { bindKernel32, JobObjectBasicUIRestrictions, JobObjectExtendedLimitInformation, PROCESS_SET_QUOTA, PROCESS_TERMINATE, type HANDLE, type Kernel32, type KoffiModule } from './win32/kernel32.js';

/** A child's job: its layer report and how to end it. */
export interface WindowsJob {
  sandbox: SandboxReport;
  /** Close the job handle; with KILL_ON_JOB_CLOSE this ends every process still in it. */
  close(): void;
}

/** Why a restricted token is not applied (reported as its layer). */
export const RESTRICTED_TOKEN_REASON = 'unavailable:needs a launcher calling CreateProcessAsUserW with a CreateRestrictedToken token (not implemented; see docs/plugins.md)';

let kernel32: Kernel32 | string | undefined;

/** kernel32 through koffi, or why it cannot be loaded. Only ever called on win32. */
function loadKernel32(): Kernel32 | string {
  if (kernel32 === undefined) {
    try {
      const koffi = createRequire(import.meta.url)('koffi') as KoffiModule;
      kernel32 = bindKernel32(koffi);
    } catch (error) {
      kernel32 = `koffi could not load kernel32.dll (${(error as Error).message}); install the optional dependency koffi`;
    }
  }
  return kernel32;
}

function lastError(k: Kernel32, call: string): LayerState {
  return `unavailable:${call} failed (GetLastError ${k.GetLastError()})`;
}

/**
 * Put process `pid` into a new Job Object with `options`' limits. Never throws: what
 * could not be applied is reported per layer (`jobObject`, `killOnClose`,
 * `activeProcess`, `jobMemory`, `cpu`, `uiRestrictions`, `restrictedToken`). `load`
 * is for tests.
 */
export function confineWindowsChild(pid: number, options: JobLimitOptions, load: () => Kernel32 | string = loadKernel32): WindowsJob {
  const layers = ['killOnClose', 'activeProcess', 'jobMemory', 'cpu', 'uiRestrictions'] as const;
  const sandbox: SandboxReport = { restrictedToken: RESTRICTED_TOKEN_REASON };
  const fail = (state: LayerState): WindowsJob => {
    sandbox.jobObject = state;
    for (const layer of layers) sandbox[layer] ??= state;
    return { sandbox, close: () => {} };
  };
  const k = load();
  if (typeof k === 'string') return fail(`unavailable:${k}`);
  let limits;
  try {
    limits = jobExtendedLimits(options);
  } catch (error) {
    return fail(`unavailable:${(error as Error).message}`);
  }
  const job: HANDLE = k.CreateJobObjectW(null, null);
  if (!job) return fail(lastError(k, 'CreateJobObjectW'));
  const closeJob = () => void k.CloseHandle(job);
  // Limits first, then the assignment: a process is never in a job without its limits.
  if (!k.SetInformationJobObject_Extended(job, JobObjectExtendedLimitInformation, limits, k.sizes.extendedLimitInformation)) {
    const state = lastError(k, 'SetInformationJobObject(JobObjectExtendedLimitInformation)');
    closeJob();
    return fail(state);
  }
  sandbox.uiRestrictions = k.SetInformationJobObject_UI(job, JobObjectBasicUIRestrictions, jobUiRestrictions(), k.sizes.basicUiRestrictions)
    ? 'held'
    : lastError(k, 'SetInformationJobObject(JobObjectBasicUIRestrictions)');
  const proc: HANDLE = k.OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE, 0, pid);
  if (!proc) {
    const state = lastError(k, `OpenProcess(${pid})`);
    closeJob();
    return fail(state);
  }
  const assigned = k.AssignProcessToJobObject(job, proc);
  const assignState = assigned ? undefined : lastError(k, 'AssignProcessToJobObject');
  k.CloseHandle(proc);
  if (assignState) {
    closeJob();
    return fail(assignState);
  }
  sandbox.jobObject = 'held';
  for (const layer of layers) sandbox[layer] ??= 'held';
  let open = true;
  return {
    sandbox,
    close: () => {
      if (!open) return;
      open = false;
      closeJob();
    },
  };
}
