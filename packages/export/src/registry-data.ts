/**
 * Helpers for Windows registry payloads shared by the OCSF and ECS mappings.
 *
 * @module
 */

const INTEGER_TYPES = new Set(['REG_DWORD', 'REG_DWORD_BIG_ENDIAN', 'REG_QWORD']);
const STRING_TYPES = new Set(['REG_SZ', 'REG_EXPAND_SZ', 'REG_LINK']);

/** The value type in canonical `REG_*` form (`dword` -> `REG_DWORD`), or `undefined`. */
export function canonicalRegType(dataType: string | undefined): string | undefined {
  if (dataType === undefined) return undefined;
  const upper = dataType.trim().toUpperCase();
  const name = upper.startsWith('REG_') ? upper : `REG_${upper}`;
  return /^REG_[A-Z_]+$/.test(name) ? name : undefined;
}

/** True for value types whose data is a string (`REG_SZ`, `REG_EXPAND_SZ`, `REG_LINK`). */
export function isStringRegType(type: string | undefined): boolean {
  return type !== undefined && STRING_TYPES.has(type);
}

/**
 * Integer data of a DWORD/QWORD value: decimal, `0x…` hex, or Sysmon's `DWORD (0x00000001)`.
 * `undefined` when it is not one of those or does not fit a safe integer.
 */
export function parseRegInteger(type: string | undefined, data: string): number | undefined {
  if (type === undefined || !INTEGER_TYPES.has(type)) return undefined;
  const m = /^\s*(?:[DQ]WORD\s*\(\s*)?(0x[0-9a-f]+|-?\d+)\s*\)?\s*$/i.exec(data);
  if (!m?.[1]) return undefined;
  const n = m[1].toLowerCase().startsWith('0x') ? Number.parseInt(m[1].slice(2), 16) : Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

const HIVES: ReadonlyArray<[RegExp, string]> = [
  [/^(?:HKEY_LOCAL_MACHINE|HKLM|\\REGISTRY\\MACHINE)(?=\\|$)/i, 'HKLM'],
  [/^(?:HKEY_USERS|HKU|\\REGISTRY\\USER)(?=\\|$)/i, 'HKU'],
  [/^(?:HKEY_CURRENT_USER|HKCU)(?=\\|$)/i, 'HKCU'],
  [/^(?:HKEY_CLASSES_ROOT|HKCR)(?=\\|$)/i, 'HKCR'],
  [/^(?:HKEY_CURRENT_CONFIG|HKCC)(?=\\|$)/i, 'HKCC'],
];

/** Split a key into its abbreviated hive (`HKLM`, …) and the rest; `hive` is `undefined` when not recognised. */
export function splitHive(key: string): { hive: string | undefined; rest: string } {
  for (const [re, hive] of HIVES) {
    const m = re.exec(key);
    if (m) return { hive, rest: key.slice(m[0].length).replace(/^\\/, '') };
  }
  return { hive: undefined, rest: key };
}
