/**
 * ECS payload fields of the kinds added in model v1.1, and the hashes enrichment fields.
 * ECS has standard fields for logons (`user.*`, `source.*`, `event.outcome`), account changes
 * (`user.target.*`, `user.changes.*`), services (`service.name`) and file hashes
 * (`*.hash.*`); everything else is kept under `edrkit.*`, as ECS asks for custom fields.
 *
 * @module
 */
import type { EdrEvent, Hashes, Platform } from '@edrkit/core';
import { userIdOf } from '../identity.js';
import { isIpLiteral } from '../net.js';
import type { Leftovers } from '../unmapped.js';
import type { EcsDocument, EcsFile, EcsHash } from './types.js';

/** ECS `hash` (md5, sha1, sha256); `pending`, `partial` and `error` go to `edrkit.<at>.*`. */
export function ecsHashes(hashes: Hashes | undefined, left: Leftovers, at: string): EcsHash | undefined {
  if (!hashes) return undefined;
  left.add(`${at}.pending`, hashes.pending);
  left.add(`${at}.partial`, hashes.partial);
  left.add(`${at}.error`, hashes.error);
  const out: EcsHash = { md5: hashes.md5, sha1: hashes.sha1, sha256: hashes.sha256 };
  return out.md5 || out.sha1 || out.sha256 ? out : undefined;
}

type FileOf = (path: string, platform: Platform) => EcsFile;

/** Registry paths are not files: a service's key stays an edrkit field. */
const REGISTRY_PATH = /^(HK[A-Z_]+|\\REGISTRY)\\/i;

/**
 * Fill the ECS fields of a v1.1 kind. Returns false for a kind this function does not map
 * (the caller then reports the unknown kind).
 */
export function fillV11Payload(event: EdrEvent, doc: EcsDocument, left: Leftovers, fileOf: FileOf): boolean {
  const platform = event.platform;
  switch (event.kind) {
    case 'auth.logon':
    case 'auth.logoff':
    case 'auth.failed': {
      const { auth } = event;
      // ECS `user` is the user the event is about: the one logging on, not sshd's root.
      doc.user = { id: userIdOf(auth), name: auth.user };
      if (auth.sid !== undefined) left.add('auth.uid', auth.uid);
      if (auth.remote) doc.source = { address: auth.remote.ip, ip: isIpLiteral(auth.remote.ip) ? auth.remote.ip : undefined, port: auth.remote.port };
      if (event.kind !== 'auth.logoff') doc.event.outcome = event.kind === 'auth.failed' ? 'failure' : 'success';
      doc.event.reason = auth.reason;
      left.add('auth.method', auth.method);
      left.add('auth.terminal', auth.terminal);
      left.add('auth.session', auth.session);
      return true;
    }
    case 'account.create':
    case 'account.modify':
    case 'account.delete': {
      const { account } = event;
      doc.user = { ...doc.user, target: { id: userIdOf(account), name: account.name } };
      if (account.sid !== undefined) left.add('account.uid', account.uid);
      if (account.changes?.name !== undefined) doc.user.changes = { name: account.changes.name };
      left.add('account.changes', account.changes);
      return true;
    }
    case 'service.create':
    case 'service.modify':
    case 'service.delete': {
      const { service } = event;
      doc.service = { name: service.name };
      if (REGISTRY_PATH.test(service.path)) left.add('service.path', service.path);
      else doc.file = fileOf(service.path, platform);
      left.add('service.command', service.command);
      left.add('service.startType', service.startType);
      left.add('service.user', service.user);
      return true;
    }
    case 'task.create':
    case 'task.modify':
    case 'task.delete':
      if (event.task.path !== undefined) doc.file = fileOf(event.task.path, platform);
      left.add('task', { ...event.task, path: undefined });
      return true;
    case 'process.access':
    case 'process.tamper':
      left.add('target', event.target);
      if (event.kind === 'process.access') left.add('access', event.access);
      else {
        left.add('technique', event.technique);
        left.add('startAddress', event.startAddress);
        left.add('startModule', event.startModule);
      }
      return true;
    case 'script.content':
      if (event.script.path !== undefined) doc.file = fileOf(event.script.path, platform);
      left.add('script', { ...event.script, path: undefined });
      return true;
    case 'bpf.load':
      left.add('bpf', event.bpf);
      return true;
    case 'volume.mount':
    case 'volume.unmount':
      doc.file = { ...fileOf(event.volume.mountPoint, platform), type: 'dir' };
      left.add('volume', event.volume);
      return true;
    case 'pipe.create':
    case 'pipe.connect':
      doc.file = fileOf(event.pipe.name, platform);
      left.add('pipe.name', event.pipe.name);
      return true;
    case 'wmi.filter':
    case 'wmi.consumer':
    case 'wmi.binding':
      left.add('wmi', event.wmi);
      return true;
    case 'sensor.start':
    case 'sensor.stop':
      left.add('sensor', event.sensor);
      return true;
    default:
      return false;
  }
}
