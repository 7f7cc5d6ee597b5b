/**
 * memfd_create(2) flags in words (include/uapi/linux/memfd.h), for `raw.linux.memfdFlags`.
 *
 * @module
 */

const MFD: readonly [number, string][] = [
  [0x1, 'cloexec'],
  [0x2, 'allow-sealing'],
  [0x4, 'hugetlb'],
  [0x8, 'noexec-seal'],
  [0x10, 'exec'],
];

/** `['cloexec', 'allow-sealing']` for 3; unknown bits as `0x<hex>`. */
export function memfdFlags(flags: number): string[] {
  const out: string[] = [];
  let rest = flags >>> 0;
  for (const [bit, name] of MFD) {
    if (rest & bit) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}
