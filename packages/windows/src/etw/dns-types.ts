/**
 * DNS question types by number (IANA), for `dns.type`: the mnemonic, or `TYPE<n>`.
 *
 * @module
 */
const TYPES: Readonly<Record<number, string>> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 35: 'NAPTR', 43: 'DS', 48: 'DNSKEY', 64: 'SVCB', 65: 'HTTPS', 255: 'ANY',
};

/** `A`, `AAAA`, … or `TYPE<n>` (RFC 3597) for a type without a mnemonic here. */
export function dnsTypeName(type: number): string {
  return TYPES[type] ?? `TYPE${type}`;
}
