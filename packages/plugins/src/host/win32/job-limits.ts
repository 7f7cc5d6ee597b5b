/**
 * The limits of a plugin child's Job Object, as pure data: what windows-job.ts passes to
 * SetInformationJobObject. Kept apart from the koffi calls so it is unit-tested everywhere.
 *
 * @module
 */
import {
  JOB_OBJECT_LIMIT_ACTIVE_PROCESS,
  JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION,
  JOB_OBJECT_LIMIT_JOB_MEMORY,
  JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
  JOB_OBJECT_LIMIT_PROCESS_TIME,
  JOB_OBJECT_UILIMIT_DESKTOP,
  JOB_OBJECT_UILIMIT_DISPLAYSETTINGS,
  JOB_OBJECT_UILIMIT_EXITWINDOWS,
  JOB_OBJECT_UILIMIT_GLOBALATOMS,
  JOB_OBJECT_UILIMIT_HANDLES,
  JOB_OBJECT_UILIMIT_READCLIPBOARD,
  JOB_OBJECT_UILIMIT_SYSTEMPARAMETERS,
  JOB_OBJECT_UILIMIT_WRITECLIPBOARD,
  type JobObjectBasicUiRestrictions,
  type JobObjectExtendedLimitInformation,
} from './kernel32.js';
import { ConfinementLimitError } from '../os-confinement.js';

/** What the job of one plugin child enforces. */
export interface JobLimitOptions {
  /** Committed memory of every process in the job together, in bytes (JobMemoryLimit). */
  memoryBytes: number;
  /** User-mode CPU time of the process, in seconds (PerProcessUserTimeLimit). */
  cpuSeconds: number;
}

/** 100-nanosecond ticks per second: the unit of LARGE_INTEGER time limits. */
const TICKS_PER_SECOND = 10_000_000;


function positive(name: keyof JobLimitOptions, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new ConfinementLimitError(`job limits: ${name} must be a positive finite number, got ${value}`);
  return value;
}

/**
 * JOBOBJECT_EXTENDED_LIMIT_INFORMATION for a plugin child: the job dies with the host's
 * handle (KILL_ON_JOB_CLOSE, Windows' pdeathsig), holds one process only (no child
 * processes: ACTIVE_PROCESS 1), caps committed memory (JOB_MEMORY), charges user CPU time
 * (PROCESS_TIME) and turns an unhandled exception into termination instead of a
 * Windows Error Reporting dialog that would keep the process (DIE_ON_UNHANDLED_EXCEPTION).
 */
export function jobExtendedLimits(options: JobLimitOptions): JobObjectExtendedLimitInformation {
  const memory = Math.floor(positive('memoryBytes', options.memoryBytes));
  // Whole ticks; a LARGE_INTEGER holds far more than Number.MAX_SAFE_INTEGER ticks (28 years).
  const ticks = Math.min(Math.ceil(positive('cpuSeconds', options.cpuSeconds) * TICKS_PER_SECOND), Number.MAX_SAFE_INTEGER);
  return {
    BasicLimitInformation: {
      PerProcessUserTimeLimit: ticks,
      PerJobUserTimeLimit: 0,
      LimitFlags:
        JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_ACTIVE_PROCESS | JOB_OBJECT_LIMIT_JOB_MEMORY | JOB_OBJECT_LIMIT_DIE_ON_UNHANDLED_EXCEPTION | JOB_OBJECT_LIMIT_PROCESS_TIME,
      MinimumWorkingSetSize: 0,
      MaximumWorkingSetSize: 0,
      ActiveProcessLimit: 1,
      Affinity: 0,
      PriorityClass: 0,
      SchedulingClass: 0,
    },
    IoInfo: { ReadOperationCount: 0, WriteOperationCount: 0, OtherOperationCount: 0, ReadTransferCount: 0, WriteTransferCount: 0, OtherTransferCount: 0 },
    ProcessMemoryLimit: 0,
    JobMemoryLimit: memory,
    PeakProcessMemoryUsed: 0,
    PeakJobMemoryUsed: 0,
  };
}

/**
 * JOBOBJECT_BASIC_UI_RESTRICTIONS: no handles to windows outside the job, no clipboard,
 * no system parameters or display settings, no global atoms, no desktop switch, no
 * logoff/shutdown. A plugin has no UI; these close the window-message and clipboard paths
 * out of the job.
 */
export function jobUiRestrictions(): JobObjectBasicUiRestrictions {
  return {
    UIRestrictionsClass:
      JOB_OBJECT_UILIMIT_HANDLES |
      JOB_OBJECT_UILIMIT_READCLIPBOARD |
      JOB_OBJECT_UILIMIT_WRITECLIPBOARD |
      JOB_OBJECT_UILIMIT_SYSTEMPARAMETERS |
      JOB_OBJECT_UILIMIT_DISPLAYSETTINGS |
      JOB_OBJECT_UILIMIT_GLOBALATOMS |
      JOB_OBJECT_UILIMIT_DESKTOP |
      JOB_OBJECT_UILIMIT_EXITWINDOWS,
  };
}
