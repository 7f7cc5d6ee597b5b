/**
 * Registry value data (Kernel-Registry SetValueKey `CapturedData`) as text, in the forms
 * Sysmon writes in `Details` — `DWORD (0x00000001)`, the string itself, `Binary Data` — so
 * Sigma rules written for Sysmon match live events too.
 *
 * @module
 */

/** REG_* type names by number (winnt.h). */
export const REG_TYPES: readonly string[] = ['REG_NONE', 'REG_SZ', 'REG_EXPAND_SZ', 'REG_BINARY', 'REG_DWORD', 'REG_DWORD_BIG_ENDIAN', 'REG_LINK', 'REG_MULTI_SZ', 'REG_RESOURCE_LIST', 'REG_FULL_RESOURCE_DESCRIPTOR', 'REG_RESOURCE_REQUIREMENTS_LIST', 'REG_QWORD'];

function utf16(bytes: Uint8Array): string {
  const even = bytes.length & ~1;
  return Buffer.from(bytes.buffer, bytes.byteOffset, even).toString('utf16le');
}

/**
 * The data as text, or undefined when the capture is shorter than the value (`captured` <
 * `size`: ETW captures at most a few hundred bytes) — then only the type is known.
 */
export function registryDataText(type: number, data: Uint8Array, size: number): string | undefined {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (type) {
    case 1:
    case 2:
    case 6:
      return data.length < size ? undefined : utf16(data).replace(/\0+$/, '');
    case 7:
      return data.length < size ? undefined : utf16(data).replace(/\0+$/, '').split('\0').join(' ');
    case 4:
      return data.length >= 4 ? `DWORD (0x${v.getUint32(0, true).toString(16).padStart(8, '0')})` : undefined;
    case 5:
      return data.length >= 4 ? `DWORD (0x${v.getUint32(0, false).toString(16).padStart(8, '0')})` : undefined;
    case 11:
      return data.length >= 8 ? `QWORD (0x${v.getBigUint64(0, true).toString(16).padStart(16, '0')})` : undefined;
    default:
      return 'Binary Data';
  }
}
