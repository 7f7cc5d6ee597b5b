/**
 * CIDR ranges for the `cidr` modifier: IPv4 and IPv6, with IPv4-mapped IPv6 addresses
 * (`::ffff:10.0.0.1`, as dual-stack sockets report them) treated as IPv4.
 *
 * @module
 */

/** A parsed address: its family and value as a bigint. */
interface Address {
  v6: boolean;
  value: bigint;
}

function parseV4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  let s = text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) becomes two 16-bit groups.
  const lastColon = s.lastIndexOf(':');
  if (s.includes('.') && lastColon >= 0) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}


/** Parse an IPv4 or IPv6 address; IPv4-mapped IPv6 addresses come back as IPv4. */
export function parseIp(text: string): Address | undefined {
  const t = text.trim();
  if (t.includes(':')) {
    const value = parseV6(t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t);
    if (value === undefined) return undefined;
    if (value >> 32n === 0xffffn) return { v6: false, value: value & 0xffffffffn };
    return { v6: true, value };
  }
  const value = parseV4(t);
  return value === undefined ? undefined : { v6: false, value };
}

/**
 * Compile a CIDR (`10.0.0.0/8`, `fe80::/10`; a bare address means a single host) to a test.
 * Returns undefined when `cidr` is not a valid range.
 */
export function compileCidr(cidr: string): ((ip: string) => boolean) | undefined {
  const [addr, bitsText, extra] = cidr.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const base = parseIp(addr);
  if (!base) return undefined;
  // A v4-mapped range written in IPv6 notation was normalised to IPv4 above.
  const width = base.v6 ? 128 : 32;
  let bits = bitsText === undefined ? width : Number(bitsText);
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  if (!base.v6 && addr.includes(':') && bitsText !== undefined) bits -= 96;
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return undefined;
  const shift = BigInt(width - bits);
  const network = base.value >> shift;
  return (ip: string) => {
    const a = parseIp(ip);
    return a !== undefined && a.v6 === base.v6 && a.value >> shift === network;
  };
}

