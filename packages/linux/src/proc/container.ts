/**
 * Container ids from cgroup paths, for the runtimes that put the id in the path:
 * Docker (`docker-<id>.scope`, `/docker/<id>`), containerd/CRI (`cri-containerd-<id>.scope`),
 * CRI-O (`crio-<id>.scope`), Podman (`libpod-<id>.scope`) and Kubernetes
 * (`kubepods…/pod<uid>/<id>`). Any other path gives undefined.
 *
 * @module
 */

const ID = /(?:^|[/-])(?:docker|cri-containerd|crio|libpod|containerd)?-?([0-9a-f]{64})(?:\.scope)?$/;

/** The container id named by a cgroup path or leaf name, if any. */
export function containerIdFromCgroup(cgroup: string): string | undefined {
  // Check each component from the leaf up: the container's own cgroup may have children (init.scope).
  const parts = cgroup.split('/').filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    const m = ID.exec(parts[i] ?? '');
    if (m?.[1]) return m[1];
  }
  return undefined;
}
