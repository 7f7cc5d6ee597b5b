/**
 * Which OS confinement a plugin child gets, by platform: the choice spawn-child.ts makes,
 * kept a pure function so every platform's choice is tested on any platform.
 *
 * @module
 */

/** The OS confinement applied to a plugin child. */
export type ConfinementKind =
  /** Linux: edrkit-plugin-launcher (confinement.ts). */
  | 'linux-launcher'
  /** macOS: `sandbox-exec` with the plugin's Seatbelt profile and rlimits (macos-spawn.ts). */
  | 'macos-sandbox-exec'
  /** Windows: a Job Object per child (windows-job.ts). */
  | 'windows-job-object'
  /** No OS layer: the sandbox is disabled, or Linux without a built launcher, or another OS. */
  | 'none';

/** The confinement for `platform`, given the host policy and whether the Linux launcher is built. */
export function confinementKind(platform: NodeJS.Platform, sandbox: boolean, launcherBuilt: boolean): ConfinementKind {
  if (!sandbox) return 'none';
  switch (platform) {
    case 'linux':
      return launcherBuilt ? 'linux-launcher' : 'none';
    case 'darwin':
      return 'macos-sandbox-exec';
    case 'win32':
      return 'windows-job-object';
    default:
      return 'none';
  }
}

/** Limits that cannot be turned into OS limits (not positive, not finite). */
export class ConfinementLimitError extends Error {
  readonly code = 'ERR_PLUGIN_LIMITS';
}
