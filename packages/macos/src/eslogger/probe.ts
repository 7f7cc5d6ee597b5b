/**
 * What `macos-eslogger` can do on this host: macOS 13 or later, Apple's eslogger present,
 * root, and the ES events this eslogger lists (`eslogger --list-events`). Full Disk Access
 * cannot be checked without starting a client: a missing grant is reported when eslogger
 * refuses to start, with the fix.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import type { BackendProbe } from '@edrkit/core';
import { realHost, versionAtLeast, type MacosHostApi } from '../host.js';
import { availableEvents, kindSupport, noKinds } from '../kind-support.js';
import { esloggerPath, type EsloggerOptions } from './options.js';

/** The message for a process that is not root. */
export const ESLOGGER_PERMISSION = 'eslogger needs root: run edrkit with sudo (and grant Full Disk Access to the app that runs it, in System Settings › Privacy & Security)';

/** `eslogger --list-events`: the event names this eslogger knows, or undefined when it cannot say. */
export function listEvents(path: string, timeoutMs = 5000): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    execFile(path, ['--list-events'], { timeout: timeoutMs, maxBuffer: 1 << 20 }, (err, stdout) => {
      const names = String(stdout ?? '').split(/\s+/).filter((n) => /^[a-z_]+$/.test(n));
      resolve(err || names.length === 0 ? undefined : names);
    });
  });
}

/** Probe macos-eslogger. */
export async function probeEslogger(options: EsloggerOptions = {}, host: MacosHostApi = realHost): Promise<BackendProbe> {
  const id = 'macos-eslogger';
  const no = (code: BackendProbe['code'], reason: string): BackendProbe => ({ id, available: false, code, reason, kinds: noKinds(reason) });
  if (host.platform !== 'darwin') return no('ERR_NOT_SUPPORTED', `runs on macOS only (this is ${host.platform})`);
  const version = host.macosVersion();
  if (version && !versionAtLeast(version, '13.0')) return no('ERR_NOT_SUPPORTED', `eslogger needs macOS 13 or later (this is ${version})`);
  const path = esloggerPath(options);
  if (!host.isExecutable(path)) {
    return no('ERR_NOT_SUPPORTED', `eslogger not found at ${path} (Apple ships it with macOS 13 and later; set backendOptions.esloggerPath or EDRKIT_ESLOGGER)`);
  }
  const listed = await listEvents(path);
  const kinds = kindSupport(availableEvents(listed, version), version, options.imageLoads ?? false);
  const details = { eslogger: path, ...(version ? { macos: version } : {}), ...(listed ? { esEvents: listed.length } : {}), fullDiskAccess: 'checked when eslogger starts' };
  if (!host.isRoot()) return { id, available: false, code: 'ERR_PERMISSION', reason: ESLOGGER_PERMISSION, kinds, details };
  return { id, available: true, kinds, details };
}
