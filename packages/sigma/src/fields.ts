/**
 * Sigma field names (Sysmon's, as the taxonomy appendix uses them) → edrkit event
 * fields, per event kind. A name the model lacks — or a mapped field the event leaves
 * empty — falls back to `raw.<platform>.<Name>`, so source-specific fields such as
 * Sysmon's `OriginalFileName` work on the sources that provide them. A dotted name
 * (`process.exe`) reads the edrkit field of that path directly.
 *
 * @module
 */
import type { EdrEvent, EventKind } from '@edrkit/core';
import type { Accessor, FieldResolver } from './ir.js';

// Events are read through a loose view: accessors are chosen per kind at bind time,
// so each one only runs on events that have the fields it reads.
type Loose = { [key: string]: any };
type Get = (e: Loose) => unknown;

const NET_KINDS = new Set<EventKind>(['net.connect', 'net.accept', 'net.listen']);

/** The user-facing mapping table: Sigma field → edrkit field, for docs and lint. */
export const FIELD_DOCS: ReadonlyArray<{ sigma: string; edrkit: string; kinds: string }> = [
  { sigma: 'Image', edrkit: 'process.exe', kinds: 'all with a process' },
  { sigma: 'CommandLine', edrkit: 'process.cmdline', kinds: 'all with a process' },
  { sigma: 'ProcessId', edrkit: 'process.pid', kinds: 'all with a process' },
  { sigma: 'ParentProcessId', edrkit: 'process.ppid', kinds: 'all with a process' },
  { sigma: 'ParentImage', edrkit: 'process.parent.exe', kinds: 'all with a process' },
  { sigma: 'ParentCommandLine', edrkit: 'process.parent.cmdline', kinds: 'all with a process' },
  { sigma: 'User', edrkit: 'process.user', kinds: 'all with a process' },
  { sigma: 'CurrentDirectory', edrkit: 'process.cwd', kinds: 'all with a process' },
  { sigma: 'LogonId', edrkit: 'raw.<platform>.LogonId, else process.uid (Linux, macOS)', kinds: 'all with a process' },
  { sigma: 'TargetFilename', edrkit: 'file.path (file.rename: target.path)', kinds: 'file.*' },
  { sigma: 'SourceFilename', edrkit: 'file.path', kinds: 'file.rename' },
  { sigma: 'DestinationIp / DestinationPort', edrkit: 'net.remote (net.accept: net.local)', kinds: 'net.*' },
  { sigma: 'SourceIp / SourcePort', edrkit: 'net.local (net.accept: net.remote)', kinds: 'net.*' },
  { sigma: 'Initiated', edrkit: "'true' for net.connect, 'false' otherwise", kinds: 'net.*' },
  { sigma: 'Protocol', edrkit: 'net.protocol', kinds: 'net.*' },
  { sigma: 'DestinationIsIpv6 / SourceIsIpv6', edrkit: "net.family === 'ipv6'", kinds: 'net.*' },
  { sigma: 'QueryName', edrkit: 'dns.query', kinds: 'dns.query' },
  { sigma: 'QueryType', edrkit: 'dns.type', kinds: 'dns.query' },
  { sigma: 'QueryResults', edrkit: "dns.answers joined with ';'", kinds: 'dns.query' },
  { sigma: 'ImageLoaded', edrkit: 'image.path (kmod.load: module.path, else module.name)', kinds: 'image.load, kmod.load' },
  { sigma: 'TargetObject', edrkit: 'registry.key + "\\" + registry.value', kinds: 'registry.*' },
  { sigma: 'Details', edrkit: 'registry.data', kinds: 'registry.*' },
  { sigma: 'EventType', edrkit: 'SetValue / CreateKey / DeleteKey / DeleteValue / RenameKey', kinds: 'registry.*' },
  { sigma: 'NewName', edrkit: 'target.key', kinds: 'registry.rename' },
  { sigma: 'Hashes', edrkit: "process.hashes / image.hashes / file.hashes as Sysmon writes them: 'MD5=…,SHA1=…,SHA256=…' (upper-case hex)", kinds: 'process.exec, image.load, file.*' },
  { sigma: 'md5 / sha1 / sha256', edrkit: 'the same hashes, one field each', kinds: 'process.exec, image.load, file.*' },
  { sigma: 'SourceImage / SourceProcessId / SourceUser / SourceThreadId', edrkit: 'process.exe / pid / user / tid', kinds: 'process.access, process.tamper' },
  { sigma: 'TargetImage / TargetProcessId', edrkit: 'target.exe / target.pid', kinds: 'process.access, process.tamper' },
  { sigma: 'GrantedAccess', edrkit: "access.mask as Sysmon writes it ('0x1410')", kinds: 'process.access' },
  { sigma: 'StartAddress / StartModule / NewThreadId', edrkit: 'startAddress / startModule / target.tid', kinds: 'process.tamper' },
  { sigma: 'Type', edrkit: "'Image is replaced' for technique image-tamper, else the technique", kinds: 'process.tamper' },
  { sigma: 'ScriptBlockText / Path', edrkit: 'script.content / script.path', kinds: 'script.content' },
  { sigma: 'PipeName', edrkit: 'pipe.name', kinds: 'pipe.*' },
  { sigma: 'EventType', edrkit: 'CreatePipe / ConnectPipe; WmiFilterEvent / WmiConsumerEvent / WmiBindingEvent', kinds: 'pipe.*, wmi.*' },
  { sigma: 'Name / EventNamespace / Query / Destination / Consumer / Filter / Operation', edrkit: 'wmi.name / namespace / query / destination / consumer / filter / operation (Created, Deleted)', kinds: 'wmi.*' },
  { sigma: 'Type (wmi.consumer)', edrkit: "'Command Line' for CommandLineEventConsumer, 'Script' for ActiveScriptEventConsumer, else wmi.consumer", kinds: 'wmi.consumer' },
];

/** Sysmon's `Hashes` form: `MD5=…,SHA1=…,SHA256=…` (upper-case hex, the algorithms present). */
function sysmonHashes(h: Loose | undefined): string | undefined {
  if (!h) return undefined;
  const parts = (['md5', 'sha1', 'sha256'] as const).filter((a) => typeof h[a] === 'string').map((a) => `${a.toUpperCase()}=${String(h[a]).toUpperCase()}`);
  return parts.length ? parts.join(',') : undefined;
}

function hashFields(hashesOf: Get): Record<string, Get> {
  return {
    Hashes: (e) => sysmonHashes(hashesOf(e) as Loose | undefined),
    md5: (e) => (hashesOf(e) as Loose | undefined)?.md5,
    sha1: (e) => (hashesOf(e) as Loose | undefined)?.sha1,
    sha256: (e) => (hashesOf(e) as Loose | undefined)?.sha256,
  };
}

function targetFields(): Record<string, Get> {
  return {
    SourceImage: (e) => e.process.exe,
    SourceProcessId: (e) => e.process.pid,
    SourceUser: (e) => e.process.user,
    SourceThreadId: (e) => e.process.tid,
    TargetImage: (e) => e.target.exe,
    TargetProcessId: (e) => e.target.pid,
  };
}

const WMI_EVENT_TYPE: Readonly<Record<string, string>> = {
  'wmi.filter': 'WmiFilterEvent',
  'wmi.consumer': 'WmiConsumerEvent',
  'wmi.binding': 'WmiBindingEvent',
};
const WMI_CONSUMER_TYPE: Readonly<Record<string, string>> = {
  CommandLineEventConsumer: 'Command Line',
  ActiveScriptEventConsumer: 'Script',
};

function v11Fields(kind: EventKind): Record<string, Get> | undefined {
  switch (kind) {
    case 'process.access':
      return {
        ...targetFields(),
        GrantedAccess: (e) => (e.access.mask !== undefined ? `0x${(e.access.mask as number).toString(16)}` : undefined),
      };
    case 'process.tamper':
      return {
        ...targetFields(),
        StartAddress: (e) => e.startAddress,
        StartModule: (e) => e.startModule,
        NewThreadId: (e) => e.target.tid,
        Type: (e) => (e.technique === 'image-tamper' ? 'Image is replaced' : e.technique),
      };
    case 'script.content':
      return { ScriptBlockText: (e) => e.script.content, Path: (e) => e.script.path };
    case 'pipe.create':
    case 'pipe.connect': {
      const type = kind === 'pipe.create' ? 'CreatePipe' : 'ConnectPipe';
      return { PipeName: (e) => e.pipe.name, EventType: () => type };
    }
    case 'wmi.filter':
    case 'wmi.consumer':
    case 'wmi.binding': {
      const type = WMI_EVENT_TYPE[kind];
      return {
        EventType: () => type,
        Operation: (e) => (e.wmi.operation === 'deleted' ? 'Deleted' : 'Created'),
        EventNamespace: (e) => e.wmi.namespace,
        Name: (e) => e.wmi.name,
        Query: (e) => e.wmi.query,
        Destination: (e) => e.wmi.destination,
        Consumer: (e) => e.wmi.consumer,
        Filter: (e) => e.wmi.filter,
        ...(kind === 'wmi.consumer' ? { Type: (e: Loose) => (e.wmi.consumer ? (WMI_CONSUMER_TYPE[e.wmi.consumer] ?? e.wmi.consumer) : undefined) } : {}),
      };
    }
    default:
      return undefined;
  }
}

function processFields(kind: EventKind): Record<string, Get> {
  if (kind === 'sensor.lost') return {};
  return {
    Image: (e) => e.process.exe,
    CommandLine: (e) => e.process.cmdline,
    ProcessId: (e) => e.process.pid,
    ParentProcessId: (e) => e.process.ppid,
    ParentImage: (e) => e.process.parent?.exe,
    ParentCommandLine: (e) => e.process.parent?.cmdline,
    User: (e) => e.process.user,
    CurrentDirectory: (e) => e.process.cwd,
    LogonId: (e) => (e.platform === 'windows' ? undefined : e.process.uid),
  };
}

function netFields(kind: EventKind): Record<string, Get> {
  // Sysmon's Source is the initiator: for an accepted connection that is the peer.
  const inbound = kind !== 'net.connect';
  const dst = inbound ? 'local' : 'remote';
  const src = inbound ? 'remote' : 'local';
  return {
    DestinationIp: (e) => e.net[dst].ip,
    DestinationPort: (e) => e.net[dst].port,
    SourceIp: (e) => e.net[src].ip,
    SourcePort: (e) => e.net[src].port,
    Initiated: () => (inbound ? 'false' : 'true'),
    Protocol: (e) => e.net.protocol,
    DestinationIsIpv6: (e) => (e.net.family === 'ipv6' ? 'true' : 'false'),
    SourceIsIpv6: (e) => (e.net.family === 'ipv6' ? 'true' : 'false'),
  };
}

function kindFields(kind: EventKind): Record<string, Get> {
  if (kind.startsWith('file.')) {
    const hashes = hashFields((e) => e.file.hashes);
    if (kind === 'file.rename') return { TargetFilename: (e) => e.target.path, SourceFilename: (e) => e.file.path };
    return { TargetFilename: (e) => e.file.path, ...hashes };
  }
  const v11 = v11Fields(kind);
  if (v11) return v11;
  if (NET_KINDS.has(kind)) return netFields(kind);
  switch (kind) {
    case 'dns.query':
      return {
        QueryName: (e) => e.dns.query,
        QueryType: (e) => e.dns.type,
        QueryResults: (e) => (e.dns.answers ? e.dns.answers.join(';') : undefined),
      };
    case 'process.exec':
      return hashFields((e) => e.process.hashes);
    case 'image.load':
      return { ImageLoaded: (e) => e.image.path, ...hashFields((e) => e.image.hashes) };
    case 'kmod.load':
      return { ImageLoaded: (e) => e.module.path ?? e.module.name, ModuleName: (e) => e.module.name };
    case 'registry.set':
    case 'registry.create':
    case 'registry.delete':
    case 'registry.rename': {
      const type =
        kind === 'registry.set' ? () => 'SetValue' : kind === 'registry.create' ? () => 'CreateKey' : kind === 'registry.rename' ? () => 'RenameKey' : (e: Loose) => (e.registry.value ? 'DeleteValue' : 'DeleteKey');
      return {
        TargetObject: (e) => (e.registry.value ? `${e.registry.key}\\${e.registry.value}` : e.registry.key),
        Details: (e) => e.registry.data,
        EventType: type,
        NewName: (e) => e.target?.key,
      };
    }
    default:
      return {};
  }
}

function rawField(name: string): Get {
  return (e) => e.raw?.[e.platform]?.[name];
}

function pathField(path: string): Get {
  const parts = path.split('.');
  return (e) => {
    let v: unknown = e;
    for (const p of parts) {
      if (typeof v !== 'object' || v === null) return undefined;
      v = (v as Loose)[p];
    }
    return v;
  };
}

/** True when `name` maps to a field of the edrkit model for `kind` (not only to raw extras). */
export function isModelField(name: string, kind: EventKind): boolean {
  return name in processFields(kind) || name in kindFields(kind) || (name.includes('.') && !name.startsWith('raw.'));
}

/**
 * Fields whose model value is rebuilt from fewer facts than the source wrote: Sysmon's
 * `Hashes` also carries IMPHASH, its `QueryResults` the record types, its `Type` (Sysmon 25)
 * more than "Image is replaced". An event imported from such a log keeps the original under
 * `raw.<platform>`, and that text is what rules were written against, so it wins.
 */
const SOURCE_TEXT_FIRST = new Set(['Hashes', 'QueryResults', 'Type']);

/** The accessor for a Sigma field name on events of one kind. */
export function eventAccessor(name: string, kind: EventKind): Accessor<EdrEvent> {
  const mapped = kindFields(kind)[name] ?? processFields(kind)[name];
  if (mapped) {
    const raw = rawField(name);
    if (SOURCE_TEXT_FIRST.has(name)) return (e) => raw(e) ?? mapped(e);
    return (e) => mapped(e) ?? raw(e);
  }
  if (name.includes('.')) return pathField(name);
  return rawField(name);
}

function collectStrings(value: unknown, out: string[], depth: number): void {
  if (typeof value === 'string') out.push(value);
  else if (depth < 6 && typeof value === 'object' && value !== null) {
    for (const v of Array.isArray(value) ? value : Object.values(value)) collectStrings(v, out, depth + 1);
  }
}

/** Every string value of a document (keyword search). */
export function allStrings(doc: unknown): string[] {
  const out: string[] = [];
  collectStrings(doc, out, 0);
  return out;
}

/** Resolver binding Sigma fields to events of one kind. */
export function eventResolver(kind: EventKind): FieldResolver<EdrEvent> {
  return { field: (name) => eventAccessor(name, kind), keywords: allStrings };
}

/** A plain record of fields, e.g. the `EventData` of a Sysmon event. */
export type FieldRecord = Readonly<Record<string, unknown>>;

/** Resolver reading Sigma field names directly as record keys (no mapping). */
export const recordResolver: FieldResolver<FieldRecord> = {
  field: (name) => (r) => r[name],
  keywords: allStrings,
};
