/**
 * Test-side ECS checker: the Elastic Common Schema (8.x) fields edrkit may write, with their
 * ECS types and allowed values, from the ECS field reference
 * (https://www.elastic.co/guide/en/ecs/current/ecs-field-reference.html). A document passes
 * when every leaf outside the custom `edrkit.*` namespace is a field listed here with a
 * value of the right type, and the event categorisation uses ECS's allowed values.
 */
import { isIP } from 'node:net';

type EcsType = 'keyword' | 'wildcard' | 'match_only_text' | 'long' | 'date' | 'ip' | 'boolean';

/** Field -> ECS type. Arrays are allowed for any field (ECS: every field may hold an array). */
export const ECS_FIELDS: Readonly<Record<string, EcsType>> = {
  '@timestamp': 'date',
  'ecs.version': 'keyword',
  'message': 'match_only_text',
  'agent.type': 'keyword',
  'agent.name': 'keyword',
  'agent.version': 'keyword',
  'event.kind': 'keyword',
  'event.category': 'keyword',
  'event.type': 'keyword',
  'event.action': 'keyword',
  'event.module': 'keyword',
  'event.dataset': 'keyword',
  'event.provider': 'keyword',
  'event.sequence': 'long',
  'host.hostname': 'keyword',
  'host.name': 'keyword',
  'host.os.type': 'keyword',
  'host.os.platform': 'keyword',
  'host.os.family': 'keyword',
  'host.os.name': 'keyword',
  'host.os.version': 'keyword',
  'host.os.kernel': 'keyword',
  'process.pid': 'long',
  'process.name': 'keyword',
  'process.executable': 'keyword',
  'process.command_line': 'wildcard',
  'process.args': 'keyword',
  'process.args_count': 'long',
  'process.working_directory': 'keyword',
  'process.start': 'date',
  'process.end': 'date',
  'process.exit_code': 'long',
  'process.thread.id': 'long',
  'process.user.id': 'keyword',
  'process.user.name': 'keyword',
  'process.group.id': 'keyword',
  'process.real_user.id': 'keyword',
  'process.saved_user.id': 'keyword',
  'process.real_group.id': 'keyword',
  'process.saved_group.id': 'keyword',
  'process.supplemental_groups.id': 'keyword',
  'process.code_signature.exists': 'boolean',
  'process.code_signature.signing_id': 'keyword',
  'process.code_signature.subject_name': 'keyword',
  'process.code_signature.team_id': 'keyword',
  'process.parent.pid': 'long',
  'process.parent.name': 'keyword',
  'process.parent.executable': 'keyword',
  'process.parent.command_line': 'wildcard',
  'process.parent.start': 'date',
  'user.id': 'keyword',
  'user.name': 'keyword',
  'group.id': 'keyword',
  'container.id': 'keyword',
  'file.path': 'keyword',
  'file.name': 'keyword',
  'file.directory': 'keyword',
  'file.extension': 'keyword',
  'file.type': 'keyword',
  'file.mode': 'keyword',
  'file.uid': 'keyword',
  'file.gid': 'keyword',
  'dll.path': 'keyword',
  'dll.name': 'keyword',
  'source.address': 'keyword',
  'source.ip': 'ip',
  'source.port': 'long',
  'destination.address': 'keyword',
  'destination.ip': 'ip',
  'destination.port': 'long',
  'network.transport': 'keyword',
  'network.type': 'keyword',
  'network.iana_number': 'keyword',
  'network.direction': 'keyword',
  'network.protocol': 'keyword',
  'dns.type': 'keyword',
  'dns.question.name': 'keyword',
  'dns.question.type': 'keyword',
  'dns.answers.data': 'keyword',
  'dns.resolved_ip': 'ip',
  'registry.hive': 'keyword',
  'registry.key': 'keyword',
  'registry.path': 'keyword',
  'registry.value': 'keyword',
  'registry.data.strings': 'wildcard',
  'registry.data.type': 'keyword',
  'event.outcome': 'keyword',
  'event.reason': 'keyword',
  'user.target.id': 'keyword',
  'user.target.name': 'keyword',
  'user.changes.name': 'keyword',
  'service.name': 'keyword',
  'file.size': 'long',
  'file.hash.md5': 'keyword',
  'file.hash.sha1': 'keyword',
  'file.hash.sha256': 'keyword',
  'process.hash.md5': 'keyword',
  'process.hash.sha1': 'keyword',
  'process.hash.sha256': 'keyword',
  'dll.hash.md5': 'keyword',
  'dll.hash.sha1': 'keyword',
  'dll.hash.sha256': 'keyword',
  'error.message': 'match_only_text',
  'error.type': 'keyword',
};

/** ECS allowed values of the categorisation fields and a few enumerated keywords. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'event.kind': ['alert', 'asset', 'enrichment', 'event', 'metric', 'state', 'pipeline_error', 'signal'],
  'event.category': ['api', 'authentication', 'configuration', 'database', 'driver', 'email', 'file', 'host', 'iam', 'intrusion_detection', 'library', 'malware', 'network', 'package', 'process', 'registry', 'session', 'threat', 'vulnerability', 'web'],
  'event.type': ['access', 'admin', 'allowed', 'change', 'connection', 'creation', 'deletion', 'denied', 'device', 'end', 'error', 'group', 'indicator', 'info', 'installation', 'protocol', 'start', 'user'],
  'network.direction': ['ingress', 'egress', 'inbound', 'outbound', 'internal', 'external', 'unknown'],
  'host.os.type': ['linux', 'macos', 'unix', 'windows', 'ios', 'android'],
  'file.type': ['file', 'dir', 'symlink'],
  'event.outcome': ['failure', 'success', 'unknown'],
};

/** ECS "expected event types" of each category. */
const TYPES_OF_CATEGORY: Readonly<Record<string, readonly string[]>> = {
  authentication: ['start', 'end', 'info'],
  configuration: ['access', 'change', 'creation', 'deletion', 'info'],
  iam: ['admin', 'change', 'creation', 'deletion', 'group', 'info', 'user'],
  session: ['start', 'end', 'info'],
  driver: ['change', 'end', 'info', 'start'],
  file: ['access', 'change', 'creation', 'deletion', 'info'],
  host: ['access', 'change', 'end', 'info', 'start'],
  library: ['start'],
  network: ['access', 'allowed', 'connection', 'denied', 'end', 'info', 'protocol', 'start'],
  process: ['access', 'change', 'end', 'info', 'start'],
  registry: ['access', 'change', 'creation', 'deletion'],
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

function checkValue(type: EcsType, v: unknown): string | undefined {
  switch (type) {
    case 'keyword':
    case 'wildcard':
    case 'match_only_text':
      return typeof v === 'string' ? undefined : `expected a string (${type}), got ${JSON.stringify(v)}`;
    case 'long':
      return typeof v === 'number' && Number.isSafeInteger(v) ? undefined : `expected an integer (long), got ${JSON.stringify(v)}`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `expected a boolean, got ${JSON.stringify(v)}`;
    case 'date':
      return typeof v === 'string' && RFC3339.test(v) && !Number.isNaN(Date.parse(v)) ? undefined : `expected an RFC 3339 UTC date, got ${JSON.stringify(v)}`;
    case 'ip':
      return typeof v === 'string' && isIP(v.replace(/%.*$/, '')) !== 0 ? undefined : `expected an IP address, got ${JSON.stringify(v)}`;
  }
}

/** Problems in an ECS document; empty when it conforms. */
export function validateEcs(doc: unknown): string[] {
  const problems: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (path === 'edrkit') return; // custom fields, allowed by ECS under the product's name
    if (v === null || v === undefined) return problems.push(`${path}: ${String(v)} value`);
    if (Array.isArray(v)) return v.forEach((item) => walk(item, path));
    if (typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('.')) problems.push(`${path ? `${path}.` : ''}${k}: dotted key (ECS documents here are nested)`);
        walk(child, path ? `${path}.${k}` : k);
      }
      return;
    }
    const type = ECS_FIELDS[path];
    if (!type) return problems.push(`${path}: not an ECS field (put custom fields under edrkit.*)`);
    const bad = checkValue(type, v);
    if (bad) problems.push(`${path}: ${bad}`);
    const allowed = ALLOWED[path];
    if (allowed && !allowed.includes(String(v))) problems.push(`${path}: '${String(v)}' is not an ECS allowed value`);
  };
  walk(doc, '');
  const d = doc as { '@timestamp'?: unknown; event?: { category?: unknown; type?: unknown; kind?: unknown } };
  if (d['@timestamp'] === undefined) problems.push('@timestamp: missing');
  if (!Array.isArray(d.event?.category) || d.event.category.length === 0) problems.push('event.category: must be a non-empty array');
  if (!Array.isArray(d.event?.type) || d.event.type.length === 0) problems.push('event.type: must be a non-empty array');
  if (d.event?.kind === undefined) problems.push('event.kind: missing');
  if (Array.isArray(d.event?.category) && Array.isArray(d.event?.type)) {
    for (const c of d.event.category as string[]) {
      const expected = TYPES_OF_CATEGORY[c];
      for (const t of d.event.type as string[]) {
        if (expected && !expected.includes(t)) problems.push(`event.type: '${t}' is not an expected type of category '${c}'`);
      }
    }
  }
  return problems;
}
