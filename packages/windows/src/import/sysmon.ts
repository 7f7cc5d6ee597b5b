/**
 * Microsoft-Windows-Sysmon records → edrkit events, by event id (field names from the Sysmon
 * manifest, schema 4.90). Ids without an edrkit kind (2 file time changed, 4 service state,
 * 9 raw disk read, 15 stream hash, 16 config change, 24 clipboard, 27–29 blocks) map to nothing.
 *
 * @module
 */
import type { AccessRight, EventDraft, Hashes, TamperTechnique } from '@edrkit/core';
import { bool, envelope, id, port, processOf, requiredId, requiredText, splitLast, text } from './record-fields.js';
import { parseWindowsTime, WindowsRecordError, type WindowsRecord } from './windows-record.js';

/** Sysmon's `Hashes` (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`) → the model's hashes (IMPHASH stays in raw). */
export function parseSysmonHashes(value: string | undefined): Hashes | undefined {
  if (!value) return undefined;
  const out: { md5?: string; sha1?: string; sha256?: string } = {};
  for (const part of value.split(',')) {
    const [name, hex] = part.split('=');
    const h = hex?.trim().toLowerCase();
    if (!h) continue;
    const algo = name?.trim().toUpperCase();
    if (algo === 'MD5' && /^[0-9a-f]{32}$/.test(h)) out.md5 = h;
    else if (algo === 'SHA1' && /^[0-9a-f]{40}$/.test(h)) out.sha1 = h;
    else if (algo === 'SHA256' && /^[0-9a-f]{64}$/.test(h)) out.sha256 = h;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The acting process of most Sysmon events: `ProcessId`, `Image`, `User`. */
function actor(r: WindowsRecord) {
  return processOf(r, {
    pid: requiredId(r, 'ProcessId'),
    ...opt('exe', text(r, 'Image')),
    ...opt('user', text(r, 'User')),
  });
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Access-mask bits (winnt.h) → the model's portable rights. */
const ACCESS_BITS: ReadonlyArray<[number, AccessRight]> = [
  [0x0001, 'terminate'], // PROCESS_TERMINATE
  [0x0010, 'memory-read'], // PROCESS_VM_READ
  [0x0020, 'memory-write'], // PROCESS_VM_WRITE
  [0x0400, 'query'], // PROCESS_QUERY_INFORMATION
  [0x1000, 'query'], // PROCESS_QUERY_LIMITED_INFORMATION
];

/** The rights a process access mask asks for; bits without a portable word are `other`. */
export function accessRights(mask: number): AccessRight[] {
  const out = new Set<AccessRight>();
  let known = 0;
  for (const [bit, right] of ACCESS_BITS) {
    known |= bit;
    if (mask & bit) out.add(right);
  }
  if (mask & ~known) out.add('other');
  return [...out];
}

/** A registry path in Sysmon's form: key plus value for values (`…\Run\Updater`). */
function registryValue(targetObject: string) {
  const { dir, name } = splitLast(targetObject);
  return dir ? { key: dir, value: name } : { key: targetObject };
}

/** Sysmon 20's `Type` → the WMI consumer class it names. */
const CONSUMER_CLASS: Readonly<Record<string, string>> = {
  'Command Line': 'CommandLineEventConsumer',
  Script: 'ActiveScriptEventConsumer',
};

function wmiOperation(r: WindowsRecord) {
  return /^deleted$/i.test(text(r, 'Operation') ?? '') ? ({ operation: 'deleted' } as const) : ({ operation: 'created' } as const);
}

function dnsAnswers(results: string | undefined): string[] | undefined {
  if (!results) return undefined;
  // `type:  5 edge.example.net;::ffff:13.107.21.200;` — CNAMEs carry a record-type prefix.
  const out = results
    .split(';')
    .map((s) => s.replace(/^type:\s*\d+\s+/, '').trim())
    .filter((s) => s !== '');
  return out.length ? out : undefined;
}

/** One Sysmon record → its events ([] for ids without a kind). */
export function mapSysmon(r: WindowsRecord): EventDraft[] {
  const base = envelope(r);
  switch (r.eventId) {
    case 1: {
      const pid = requiredId(r, 'ProcessId');
      const ppid = id(r, 'ParentProcessId');
      const parentExe = text(r, 'ParentImage');
      const hashes = parseSysmonHashes(text(r, 'Hashes'));
      const startTime = parseWindowsTime(r.data['UtcTime']);
      const process = processOf(r, {
        pid,
        ...opt('ppid', ppid),
        ...opt('exe', text(r, 'Image')),
        ...opt('cmdline', text(r, 'CommandLine')),
        ...opt('user', text(r, 'User')),
        ...opt('cwd', text(r, 'CurrentDirectory')),
        ...opt('startTime', startTime),
      });
      const parentCmd = text(r, 'ParentCommandLine');
      return [
        {
          kind: 'process.exec',
          ...base,
          process: {
            ...process,
            ...(hashes ? { hashes } : {}),
            ...(ppid !== undefined && parentExe !== undefined ? { parent: { pid: ppid, exe: parentExe, ...opt('cmdline', parentCmd) } } : {}),
          },
        },
      ];
    }
    case 3: {
      const initiated = bool(r, 'Initiated') ?? true;
      const ipv6 = bool(r, 'SourceIsIpv6') ?? (text(r, 'SourceIp') ?? '').includes(':');
      const proto = (text(r, 'Protocol') ?? '').toLowerCase();
      if (proto !== 'tcp' && proto !== 'udp') throw new WindowsRecordError(`Sysmon 3: Protocol ${JSON.stringify(r.data['Protocol'])} is not tcp or udp`);
      const source = { ip: requiredText(r, 'SourceIp'), port: port(r, 'SourcePort') };
      const destination = { ip: requiredText(r, 'DestinationIp'), port: port(r, 'DestinationPort') };
      // Sysmon's Source is the initiator: for an inbound connection that is the peer.
      const net = { protocol: proto as 'tcp' | 'udp', family: ipv6 ? ('ipv6' as const) : ('ipv4' as const), local: initiated ? source : destination, remote: initiated ? destination : source };
      return [{ kind: initiated ? 'net.connect' : 'net.accept', ...base, process: actor(r), net }];
    }
    case 5:
      return [{ kind: 'process.exit', ...base, process: actor(r) }];
    case 6: {
      const path = requiredText(r, 'ImageLoaded');
      // Drivers are loaded by the kernel: the System process (pid 4 on every Windows).
      return [{ kind: 'kmod.load', ...base, process: processOf(r, { pid: 4 }), module: { name: splitLast(path).name, path } }];
    }
    case 7: {
      const hashes = parseSysmonHashes(text(r, 'Hashes'));
      return [{ kind: 'image.load', ...base, process: actor(r), image: { path: requiredText(r, 'ImageLoaded'), ...(hashes ? { hashes } : {}) } }];
    }
    case 8:
    case 10: {
      const process = processOf(r, {
        pid: requiredId(r, 'SourceProcessId'),
        ...opt('exe', text(r, 'SourceImage')),
        ...opt('user', text(r, 'SourceUser')),
        ...opt('tid', id(r, 'SourceThreadId')),
      });
      const targetExe = text(r, 'TargetImage');
      if (r.eventId === 10) {
        const mask = id(r, 'GrantedAccess');
        const target = { pid: requiredId(r, 'TargetProcessId'), ...opt('exe', targetExe) };
        return [{ kind: 'process.access', ...base, process, target, access: { rights: mask === undefined ? [] : accessRights(mask), ...opt('mask', mask) } }];
      }
      const target = { pid: requiredId(r, 'TargetProcessId'), ...opt('exe', targetExe), ...opt('tid', id(r, 'NewThreadId')) };
      return [
        {
          kind: 'process.tamper',
          ...base,
          process,
          target,
          technique: 'remote-thread',
          ...opt('startAddress', text(r, 'StartAddress')),
          ...opt('startModule', text(r, 'StartModule')),
        },
      ];
    }
    case 11:
      return [{ kind: 'file.create', ...base, process: actor(r), file: { path: requiredText(r, 'TargetFilename') } }];
    case 12: {
      const type = text(r, 'EventType') ?? '';
      const target = requiredText(r, 'TargetObject');
      if (/^CreateKey$/i.test(type)) return [{ kind: 'registry.create', ...base, process: actor(r), registry: { key: target } }];
      if (/^DeleteKey$/i.test(type)) return [{ kind: 'registry.delete', ...base, process: actor(r), registry: { key: target } }];
      if (/^DeleteValue$/i.test(type)) return [{ kind: 'registry.delete', ...base, process: actor(r), registry: registryValue(target) }];
      throw new WindowsRecordError(`Sysmon 12: EventType ${JSON.stringify(r.data['EventType'])} is not CreateKey, DeleteKey or DeleteValue`);
    }
    case 13: {
      const details = text(r, 'Details');
      return [{ kind: 'registry.set', ...base, process: actor(r), registry: { ...registryValue(requiredText(r, 'TargetObject')), ...opt('data', details) } }];
    }
    case 14: {
      const newName = text(r, 'NewName');
      return [{ kind: 'registry.rename', ...base, process: actor(r), registry: { key: requiredText(r, 'TargetObject') }, ...(newName ? { target: { key: newName } } : {}) }];
    }
    case 17:
    case 18:
      return [{ kind: r.eventId === 17 ? 'pipe.create' : 'pipe.connect', ...base, process: actor(r), pipe: { name: requiredText(r, 'PipeName') } }];
    case 19:
    case 20:
    case 21: {
      // WMI subscription events name no process (they are written for the WMI service).
      const process = processOf(r, { ...opt('user', text(r, 'User')) });
      const namespace = text(r, 'EventNamespace');
      if (r.eventId === 19) {
        return [{ kind: 'wmi.filter', ...base, process, wmi: { name: requiredText(r, 'Name'), ...opt('namespace', namespace), ...opt('query', text(r, 'Query')), ...wmiOperation(r) } }];
      }
      if (r.eventId === 20) {
        const type = text(r, 'Type');
        const consumer = type === undefined ? undefined : (CONSUMER_CLASS[type] ?? type);
        return [{ kind: 'wmi.consumer', ...base, process, wmi: { name: requiredText(r, 'Name'), ...opt('consumer', consumer), ...opt('destination', text(r, 'Destination')), ...wmiOperation(r) } }];
      }
      const consumer = requiredText(r, 'Consumer');
      return [{ kind: 'wmi.binding', ...base, process, wmi: { name: consumer, consumer, ...opt('filter', text(r, 'Filter')), ...opt('namespace', namespace), ...wmiOperation(r) } }];
    }
    case 22: {
      const answers = dnsAnswers(text(r, 'QueryResults'));
      // Sysmon 22 does not report the question type: '' says "not observed" (QueryType stays absent in raw).
      return [{ kind: 'dns.query', ...base, process: actor(r), dns: { query: requiredText(r, 'QueryName'), type: text(r, 'QueryType') ?? '', ...(answers ? { answers } : {}) } }];
    }
    case 23:
    case 26:
      return [{ kind: 'file.delete', ...base, process: actor(r), file: { path: requiredText(r, 'TargetFilename') } }];
    case 25: {
      const process = actor(r);
      const technique: TamperTechnique = 'image-tamper';
      return [{ kind: 'process.tamper', ...base, process, target: { pid: process.pid, ...opt('exe', text(r, 'Image')) }, technique }];
    }
    default:
      return [];
  }
}
