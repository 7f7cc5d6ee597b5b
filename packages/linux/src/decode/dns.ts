/**
 * Parser of the question section of a DNS query (RFC 1035 §4.1), from the head of a UDP
 * payload captured in the kernel. Untrusted input: returns undefined for anything that is
 * not a well-formed query, never throws.
 *
 * @module
 */

const TYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV',
  35: 'NAPTR', 43: 'DS', 48: 'DNSKEY', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 255: 'ANY', 257: 'CAA',
};

/** The question of a DNS query. */
export interface DnsQuestion {
  /** The name, without the trailing dot (`example.com`). */
  query: string;
  /** Type mnemonic (`A`, `AAAA`, …) or `TYPE<n>`. */
  type: string;
}

/** Parse the first question of a DNS query message; undefined when it is not one. */
export function parseDnsQuestion(msg: Uint8Array): DnsQuestion | undefined {
  if (msg.length < 12 + 5) return undefined;
  const flags = ((msg[2] ?? 0) << 8) | (msg[3] ?? 0);
  if (flags & 0x8000) return undefined; // a response, not a query
  const qdcount = ((msg[4] ?? 0) << 8) | (msg[5] ?? 0);
  if (qdcount < 1) return undefined;
  const labels: string[] = [];
  let i = 12;
  let total = 0;
  for (;;) {
    const len = msg[i];
    if (len === undefined) return undefined;
    if (len === 0) {
      i++;
      break;
    }
    if (len > 63) return undefined; // compression pointers do not appear in a query's question
    if (i + 1 + len > msg.length) return undefined;
    total += len + 1;
    if (total > 255) return undefined;
    let label = '';
    for (let j = i + 1; j <= i + len; j++) {
      const c = msg[j] ?? 0;
      // Printable ASCII except the dot; anything else escaped as \DDD (RFC 4343 presentation form).
      label += c > 0x20 && c < 0x7f && c !== 0x2e && c !== 0x5c ? String.fromCharCode(c) : `\\${c.toString().padStart(3, '0')}`;
    }
    labels.push(label);
    i += 1 + len;
  }
  if (i + 4 > msg.length) return undefined;
  const qtype = ((msg[i] ?? 0) << 8) | (msg[i + 1] ?? 0);
  return { query: labels.join('.'), type: TYPES[qtype] ?? `TYPE${qtype}` };
}
