/**
 * Container ids from cgroup paths, for the runtimes that put the id in the path:
 * Docker (`docker-<id>.scope`, `/docker/<id>`), containerd/CRI (`cri-containerd-<id>.scope`),
 * CRI-O (`crio-<id>.scope`), Podman (`libpod-<id>.scope`, also with a `container` child) and
 * Kubernetes (`kubepods…/pod<uid>/<id>`); systemd-nspawn names the machine instead
 * (`machine.slice/machine-<name>.scope`: the id is the machine name). Any other path gives
 * undefined.
 *
 * @module
 */

const ID = /(?:^|[/-])(?:docker|cri-containerd|crio|libpod|containerd)?-?([0-9a-f]{64})(?:\.scope)?$/;
// systemd escapes '-' and other bytes in unit names as \xNN. libvirt's QEMU guests live there
// too (machine-qemu\x2d…): those are virtual machines, not containers.
const MACHINE = /^machine-(.+)\.scope$/;

function unescapeUnit(name: string): string {
  return name.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The container id named by a cgroup path or leaf name, if any. */
export function containerIdFromCgroup(cgroup: string): string | undefined {
  // Check each component from the leaf up: the container's own cgroup may have children (init.scope).
  const parts = cgroup.split('/').filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    const part = parts[i] ?? '';
    const m = ID.exec(part);
    if (m?.[1]) return m[1];
    const machine = i > 0 && parts[i - 1] === 'machine.slice' ? MACHINE.exec(part) : null;
    if (machine?.[1]) {
      const name = unescapeUnit(machine[1]);
      if (!name.startsWith('qemu-')) return name;
    }
  }
  return undefined;
}
