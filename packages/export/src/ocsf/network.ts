/**
 * OCSF Network Activity and DNS Activity mappings.
 *
 * @module
 */
import type { Endpoint, EventOfKind } from '@edrkit/core';
import { isIpLiteral, isUnspecifiedIp } from '../net.js';
import { resolveHostname, type ExportOptions } from '../options.js';
import type { Leftovers } from '../unmapped.js';
import { DIRECTION, OCSF_CLASSES } from './catalog.js';
import { ocsfEnvelope } from './envelope.js';
import { ocsfActor } from './system.js';
import type { OcsfConnectionInfo, OcsfDnsActivity, OcsfNetworkActivity, OcsfNetworkEndpoint } from './types.js';

/** OCSF ip_t allows at most 40 characters. */
const MAX_IP_LENGTH = 40;

/**
 * An OCSF endpoint. An address that is not an IP literal (never from a live backend, but
 * possible in a hand-written recording) is kept as the endpoint's `name` rather than put in `ip`.
 */
export function ocsfEndpoint(endpoint: Endpoint): OcsfNetworkEndpoint {
  const ipOk = isIpLiteral(endpoint.ip) && endpoint.ip.length <= MAX_IP_LENGTH;
  return ipOk ? { ip: endpoint.ip, port: endpoint.port } : { name: endpoint.ip, port: endpoint.port };
}

type NetKind = 'net.connect' | 'net.accept' | 'net.listen';

function connectionInfo(event: EventOfKind<NetKind>): OcsfConnectionInfo {
  const [directionId, direction] =
    event.kind === 'net.connect' ? DIRECTION.outbound : event.kind === 'net.accept' ? DIRECTION.inbound : DIRECTION.unknown;
  const v6 = event.net.family === 'ipv6';
  return {
    direction_id: directionId,
    direction,
    protocol_name: event.net.protocol,
    protocol_num: event.net.protocol === 'tcp' ? 6 : 17,
    protocol_ver_id: v6 ? 6 : 4,
    protocol_ver: v6 ? 'Internet Protocol version 6 (IPv6)' : 'Internet Protocol version 4 (IPv4)',
  };
}

/**
 * `net.connect` -> Network Activity: Open, src = local, dst = remote, direction Outbound.
 * `net.accept` -> Open, src = remote (the initiator), dst = local, direction Inbound.
 * `net.listen` -> Listen, dst = the local listening endpoint (the future responder); the
 * remote side is only written when it is not the unspecified placeholder.
 */
export function netActivity(event: EventOfKind<NetKind>, options: ExportOptions, left: Leftovers): OcsfNetworkActivity {
  const actor = ocsfActor(event, left);
  const local = ocsfEndpoint(event.net.local);
  const remote = ocsfEndpoint(event.net.remote);
  const activityId = event.kind === 'net.listen' ? 7 : 1;
  let src: OcsfNetworkEndpoint | undefined;
  let dst: OcsfNetworkEndpoint;
  if (event.kind === 'net.connect') [src, dst] = [local, remote];
  else if (event.kind === 'net.accept') [src, dst] = [remote, local];
  else {
    dst = local;
    const r = event.net.remote;
    if (!(isUnspecifiedIp(r.ip) && r.port === 0)) src = remote;
  }
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.networkActivity, activityId, options, left),
    class_uid: 4001,
    actor,
    src_endpoint: src,
    dst_endpoint: dst,
    connection_info: connectionInfo(event),
  };
}

/**
 * `dns.query` -> DNS Activity: Query. `src_endpoint` is this host (OCSF needs an endpoint on a
 * network event and the resolver is not observed); answers become `answers[].rdata`.
 */
export function dnsQuery(event: EventOfKind<'dns.query'>, options: ExportOptions, left: Leftovers): OcsfDnsActivity {
  const actor = ocsfActor(event, left);
  const hostname = resolveHostname(event, options);
  return {
    ...ocsfEnvelope(event, OCSF_CLASSES.dnsActivity, 1, options, left),
    class_uid: 4003,
    actor,
    src_endpoint: hostname !== undefined ? { hostname } : { name: 'localhost' },
    query: { hostname: event.dns.query, type: event.dns.type },
    answers: event.dns.answers?.map((rdata) => ({ rdata })),
  };
}
