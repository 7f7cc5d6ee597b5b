/**
 * Node command-line flags for plugin child processes, detected from the running Node:
 * the permission model is `--permission` on Node 22+ and `--experimental-permission` on
 * Node 20; older or unusual builds get neither (isolation then rests on the separate
 * process, the empty environment and the memory cap, and `stats()` says so).
 *
 * @module
 */

/** Which permission-model flag the running Node accepts, if any. */
export function permissionFlag(): '--permission' | '--experimental-permission' | undefined {
  const flags = process.allowedNodeEnvironmentFlags;
  if (flags.has('--permission')) return '--permission';
  if (flags.has('--experimental-permission')) return '--experimental-permission';
  return undefined;
}

/** Flags for a plugin child with a V8 old-space cap of `memoryLimitMb`. */
export function childNodeFlags(memoryLimitMb: number, sandbox: boolean): string[] {
  const flags = [`--max-old-space-size=${Math.max(8, Math.floor(memoryLimitMb))}`];
  const permission = sandbox ? permissionFlag() : undefined;
  if (permission) flags.push(permission);
  // Node 25+ puts sockets under the permission model too; the child's channel to the host
  // is a socket on fd 3, so it needs --allow-net. The network itself stays closed by the
  // OS layers (empty network namespace, Landlock, seccomp), which do not depend on Node.
  if (permission && process.allowedNodeEnvironmentFlags.has('--allow-net')) flags.push('--allow-net');
  // The permission model prints an ExperimentalWarning on every start on Node 20/22.
  if (process.allowedNodeEnvironmentFlags.has('--disable-warning')) flags.push('--disable-warning=ExperimentalWarning');
  return flags;
}
