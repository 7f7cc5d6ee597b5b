/**
 * The macOS confinement profile of a plugin child: a Seatbelt (SBPL) profile for
 * `sandbox-exec -p <profile> node …`. Deny by default; allow executing and reading only
 * Node and the system libraries it links, signals only to itself, no network, no
 * file writes, no process creation. `sandbox-exec` is deprecated by Apple but still ships
 * and is what Chromium and Bazel use; an App Sandbox helper would need a signed bundle.
 *
 * Status: the profile text is generated and unit-tested; the macOS host does not run it
 * yet and it has not been verified on a real macOS (docs/plugins.md, platform-support.md).
 *
 * @module
 */

/** Inputs of {@link macosSandboxProfile}. */
export interface MacosSandboxOptions {
  /** Absolute path of the Node binary (realpath). */
  nodePath: string;
  /** More paths the child may read (e.g. a Node outside /usr/local, its lib/). */
  readPaths?: readonly string[];
  /** Allow outbound network (a `network` capability the operator allowed). */
  network?: boolean;
}

/** A string literal in SBPL (a Scheme dialect): quotes and backslashes escaped, no newlines. */
function sbplString(value: string): string {
  if (!value.startsWith('/') || /[\0\n\r]/.test(value)) throw new TypeError(`macosSandboxProfile: '${value}' must be an absolute path without control characters`);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The SBPL profile text for one plugin child. */
export function macosSandboxProfile(options: MacosSandboxOptions): string {
  const node = sbplString(options.nodePath);
  const reads = [...(options.readPaths ?? [])].map((p) => `(subpath ${sbplString(p)})`);
  return [
    '(version 1)',
    '(deny default)',
    // Node itself, the dyld shared cache and system frameworks.
    `(allow process-exec (literal ${node}))`,
    `(allow file-read* (literal ${node}) (subpath "/usr/lib") (subpath "/System/Library") (subpath "/Library/Apple/System/Library")${reads.length ? ` ${reads.join(' ')}` : ''})`,
    '(allow file-read-metadata)',
    '(allow file-read* file-write-data (literal "/dev/null") (literal "/dev/urandom") (literal "/dev/random"))',
    '(allow sysctl-read)',
    '(allow mach-lookup (global-name "com.apple.system.notification_center"))',
    // Its own signals only: not the host, not another plugin.
    '(allow signal (target self))',
    '(deny process-fork)',
    options.network ? '(allow network-outbound)' : '(deny network*)',
    '',
  ].join('\n');
}
