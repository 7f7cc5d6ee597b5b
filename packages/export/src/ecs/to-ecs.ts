/**
 * `toECS`: one edrkit event to one Elastic Common Schema document.
 *
 * @module
 */
import { InvalidArgumentError, baseName, dirName, extensionOf, type EdrEvent, type EventKind, type Platform, type Process, type ProcessRef } from '@edrkit/core';
import { ECS_EVENT_CLASSIFICATION } from './classification.js';
import { ecsHashes, fillV11Payload } from './v11.js';
import { fillV12Payload } from './v12.js';
import { isIpLiteral } from '../net.js';
import { PLATFORM_OS_NAME, resolveHostname, type ExportOptions } from '../options.js';
import { userIdOf } from '../identity.js';
import { canonicalRegType, splitHive } from '../registry-data.js';
import { beyondIso, toIsoMicros } from '../time.js';
import { compact, Leftovers } from '../unmapped.js';
import { ECS_VERSION, EDRKIT_VERSION } from '../version.js';
import type { EcsDocument, EcsEndpoint, EcsFile, EcsProcess, EcsProcessRef } from './types.js';

function processRef(ref: ProcessRef, platform: Platform): EcsProcessRef {
  return {
    pid: ref.pid,
    name: ref.exe ? baseName(ref.exe, platform) : undefined,
    executable: ref.exe || undefined,
    command_line: ref.cmdline,
    start: ref.startTime !== undefined ? toIsoMicros(ref.startTime) : undefined,
  };
}

function ecsProcess(p: Process, platform: Platform, left: Leftovers): EcsProcess {
  const userId = userIdOf(p);
  if (p.sid !== undefined && p.uid !== undefined) left.add('process.uid', p.uid);
  if (p.startTime !== undefined && beyondIso(p.startTime)) left.add('process.startTime', p.startTime);
  if (p.parent?.startTime !== undefined && beyondIso(p.parent.startTime)) left.add('process.parent.startTime', p.parent.startTime);
  const signer = p.signer;
  if (signer?.platformBinary !== undefined) left.add('process.signer.platformBinary', signer.platformBinary);
  // ECS has no CDHash field (code_signature.thumbprint_sha256 is a certificate's, not a code directory's).
  if (signer?.cdhash !== undefined) left.add('process.signer.cdhash', signer.cdhash);
  return {
    // pid, name, executable, command_line, start: the same as for a lineage reference.
    ...processRef(p, platform),
    args: p.args,
    args_count: p.args.length,
    working_directory: p.cwd,
    thread: p.tid !== undefined ? { id: p.tid } : undefined,
    user: userId !== undefined || p.user !== undefined ? { id: userId, name: p.user } : undefined,
    group: p.gid !== undefined ? { id: String(p.gid) } : undefined,
    code_signature: signer
      ? {
          exists: true,
          // Apple signing ids are reverse-DNS identifiers; a Windows signer is a certificate subject.
          ...(platform === 'windows' ? { subject_name: signer.id } : { signing_id: signer.id }),
          team_id: signer.teamId,
        }
      : undefined,
    parent: p.parent ? processRef(p.parent, platform) : { pid: p.ppid },
  };
}

function ecsFile(path: string, platform: Platform): EcsFile {
  return { path, name: baseName(path, platform), directory: dirName(path, platform), extension: extensionOf(path, platform) };
}

function endpoint(e: { ip: string; port: number }): EcsEndpoint {
  return { address: e.ip, ip: isIpLiteral(e.ip) ? e.ip : undefined, port: e.port };
}

/** The kind-specific fields. `doc.process` is set beforehand to the acting process. */
function fillPayload(event: EdrEvent, doc: EcsDocument, left: Leftovers): void {
  const platform = event.platform;
  switch (event.kind) {
    case 'process.exec':
      if (event.process.hashes) doc.process = { ...doc.process, hash: ecsHashes(event.process.hashes, left, 'process.hashes') };
      left.add('process.fileless', event.process.fileless);
      break;
    case 'sensor.lost':
      break;
    case 'process.fork': {
      if (event.child.startTime !== undefined && beyondIso(event.child.startTime)) left.add('child.startTime', event.child.startTime);
      // ECS `process` is the process the event is about: the child, running the parent's image.
      const parent = doc.process ?? {};
      doc.process = {
        pid: event.child.pid,
        name: parent.name,
        executable: parent.executable,
        command_line: parent.command_line,
        args: parent.args,
        args_count: parent.args_count,
        start: event.child.startTime !== undefined ? toIsoMicros(event.child.startTime) : undefined,
        user: parent.user,
        group: parent.group,
        parent: { pid: parent.pid, name: parent.name, executable: parent.executable, command_line: parent.command_line, start: parent.start },
      };
      break;
    }
    case 'process.exit':
      doc.process = { ...doc.process, exit_code: event.exitCode, end: toIsoMicros(event.time) };
      left.add('signal', event.signal);
      break;
    case 'file.create':
    case 'file.modify':
    case 'file.delete':
      doc.file = { ...ecsFile(event.file.path, platform), size: event.file.size, hash: ecsHashes(event.file.hashes, left, 'file.hashes') };
      left.add('file.memfd', event.file.memfd);
      left.add('file.type', event.file.type);
      left.add('file.header', event.file.header);
      left.add('file.entropy', event.file.entropy);
      break;
    case 'file.open':
      // ECS file.type knows file, dir and symlink; a device (a raw disk read) is kept as edrkit.file.type.
      doc.file = { ...ecsFile(event.file.path, platform), type: event.flags.includes('directory') || event.file.type === 'directory' ? 'dir' : event.file.type === 'symlink' ? 'symlink' : event.file.type === 'file' ? 'file' : undefined };
      if (event.file.type !== undefined && !['directory', 'symlink', 'file'].includes(event.file.type)) left.add('file.type', event.file.type);
      left.add('flags', event.flags);
      break;
    case 'file.rename':
      // ECS (and Elastic Endpoint) describe the file under its new name; the old one is kept.
      doc.file = ecsFile(event.target.path, platform);
      left.add('file.path', event.file.path);
      break;
    case 'file.attr':
      doc.file = {
        ...ecsFile(event.file.path, platform),
        mode: event.mode !== undefined ? event.mode.toString(8).padStart(4, '0') : undefined,
        uid: event.owner ? userIdOf(event.owner) : undefined,
        gid: event.owner?.gid !== undefined ? String(event.owner.gid) : undefined,
      };
      if (event.owner?.sid !== undefined) left.add('owner.uid', event.owner.uid);
      break;
    case 'net.connect':
    case 'net.accept':
    case 'net.listen': {
      const { local, remote, protocol, family } = event.net;
      const outbound = event.kind !== 'net.accept';
      doc.source = endpoint(outbound ? local : remote);
      if (event.kind !== 'net.listen') doc.destination = endpoint(outbound ? remote : local);
      doc.network = {
        transport: protocol,
        type: family,
        iana_number: protocol === 'tcp' ? '6' : '17',
        direction: event.kind === 'net.connect' ? 'egress' : event.kind === 'net.accept' ? 'ingress' : undefined,
      };
      break;
    }
    case 'dns.query': {
      const answers = event.dns.answers;
      doc.dns = {
        type: 'question',
        question: { name: event.dns.query, type: event.dns.type },
        answers: answers?.map((data) => ({ data })),
        resolved_ip: answers ? answers.filter(isIpLiteral) : undefined,
      };
      if (doc.dns.resolved_ip?.length === 0) delete doc.dns.resolved_ip;
      // The transport of a DNS question is not observed; only the protocol is known.
      doc.network = { protocol: 'dns' };
      break;
    }
    case 'image.load':
      doc.dll = { path: event.image.path, name: baseName(event.image.path, platform), hash: ecsHashes(event.image.hashes, left, 'image.hashes') };
      break;
    case 'kmod.load': {
      const { name, path } = event.module;
      if (path !== undefined) doc.file = ecsFile(path, platform);
      left.add('module.name', name);
      break;
    }
    case 'registry.set':
    case 'registry.create':
    case 'registry.delete':
    case 'registry.rename': {
      const reg = event.registry;
      const key = event.kind === 'registry.rename' && event.target ? event.target.key : reg.key;
      if (event.kind === 'registry.rename' && event.target) left.add('registry.key', reg.key);
      const { hive, rest } = splitHive(key);
      const value = reg.value;
      doc.registry = {
        hive,
        key: rest,
        path: value !== undefined && value !== '' ? `${key}\\${value}` : key,
        value,
        data:
          reg.data !== undefined || reg.dataType !== undefined
            ? { strings: reg.data !== undefined ? [reg.data] : undefined, type: canonicalRegType(reg.dataType) ?? reg.dataType }
            : undefined,
      };
      break;
    }
    default: {
      if (fillV11Payload(event, doc, left, ecsFile) || fillV12Payload(event, doc, left)) break;
      const kind: unknown = (event as { kind?: unknown }).kind;
      throw new InvalidArgumentError(`toECS: unknown event kind ${JSON.stringify(kind)}; pass events that passed parseEvent() from @edrkit/core`);
    }
  }
}

/**
 * Map an edrkit event to an Elastic Common Schema document (nested objects, ECS field names
 * and types): `@timestamp` with microseconds, `event.kind/category/type/action` (category and
 * type are arrays), `process.*` with `process.parent.*`, `user.*`, `file.*`, `dll.*`,
 * `source.*`/`destination.*`, `network.*`, `dns.*`, `registry.*`, `host.*`. Fields ECS has no
 * name for are kept under `edrkit.*`. `sensor.lost` becomes `event.kind: pipeline_error`.
 *
 * @param event a valid v1 event
 * @throws {@link @edrkit/core!InvalidArgumentError} only when `event.kind` is not a v1 kind
 */
export function toECS(event: EdrEvent, options: ExportOptions = {}): EcsDocument {
  const left = new Leftovers();
  const hostname = resolveHostname(event, options);
  const classification = ECS_EVENT_CLASSIFICATION[event.kind] as (typeof ECS_EVENT_CLASSIFICATION)[EventKind] | undefined;
  if (!classification) {
    throw new InvalidArgumentError(
      `toECS: unknown event kind ${JSON.stringify((event as { kind?: unknown }).kind)}; pass events that passed parseEvent() from @edrkit/core`,
    );
  }
  const doc: EcsDocument = {
    '@timestamp': toIsoMicros(event.time),
    ecs: { version: ECS_VERSION },
    agent: { type: 'edrkit', name: 'edrkit', version: options.productVersion ?? EDRKIT_VERSION },
    event: {
      kind: event.kind === 'sensor.lost' ? 'pipeline_error' : 'event',
      category: [...classification.category],
      type: [...classification.type],
      action: classification.action,
      module: 'edrkit',
      dataset: `edrkit.${event.kind.split('.')[0] ?? 'event'}`,
      provider: event.source,
      sequence: event.seq,
    },
    host: {
      hostname,
      name: hostname,
      os: {
        type: event.platform,
        platform: event.platform === 'macos' ? 'darwin' : event.platform,
        name: options.os?.name ?? PLATFORM_OS_NAME[event.platform],
        version: options.os?.version,
        kernel: options.os?.kernelRelease,
      },
    },
  };
  if (beyondIso(event.time)) left.add('time', event.time);
  if (event.kind !== 'sensor.lost') {
    const p = ecsProcess(event.process, event.platform, left);
    doc.process = p;
    doc.user = p.user;
    doc.group = p.group;
    if (event.process.container) doc.container = { id: event.process.container.id };
  } else {
    doc.error = { message: event.lost.reason, type: 'events_dropped' };
    doc.message = `edrkit dropped ${event.lost.count} event${event.lost.count === 1 ? '' : 's'}: ${event.lost.reason}`;
    left.add('lost', event.lost);
  }
  fillPayload(event, doc, left);
  if (options.includeRaw !== false) left.add('raw', event.raw);
  const extra = left.toObject();
  if (extra) doc.edrkit = nest(extra);
  return compact(doc);
}

/** `{ 'a.b': 1 }` -> `{ a: { b: 1 } }`: ECS documents are nested objects, not dotted keys. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(flat)) {
    const parts = path.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node = (next !== null && typeof next === 'object' && !Array.isArray(next) ? next : (node[part] = {})) as Record<string, unknown>;
    }
    node[parts[parts.length - 1] ?? path] = value;
  }
  return out;
}
