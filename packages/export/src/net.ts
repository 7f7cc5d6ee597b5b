/**
 * IP address checks. Event addresses are plain strings in the model, so the exporters only
 * put a string into an IP-typed field when it really is an IP literal.
 *
 * @module
 */
import { isIP } from 'node:net';

/** True when `value` is an IPv4 or IPv6 literal (an IPv6 zone like `%eth0` is accepted). */
export function isIpLiteral(value: string): boolean {
  const unzoned = value.includes(':') ? value.replace(/%[^%]+$/, '') : value;
  return isIP(unzoned) !== 0;
}

/** True for the unspecified address (`0.0.0.0`, `::`), used by `net.listen` for its remote side. */
export function isUnspecifiedIp(value: string): boolean {
  return value === '0.0.0.0' || value === '::' || value === '0:0:0:0:0:0:0:0';
}
