/**
 * What `macos-es` can do here: macOS, root, the addon present. Whether the program holds the
 * Endpoint Security entitlement and Full Disk Access is only known when `es_new_client` runs:
 * start() turns its result into the remedy.
 *
 * @module
 */
import type { BackendProbe, EdrkitError } from '@edrkit/core';
import { realHost, versionAtLeast, type MacosHostApi } from '../host.js';
import { availableEvents, kindSupport, noKinds } from '../kind-support.js';
import { ES_EVENTS_BY_KIND, type EsEventName } from '../eslogger/event-types.js';
import { ADDON_ES_EVENTS, type EsAddonApi } from './addon-api.js';

const CONVERTED = new Set<string>(ADDON_ES_EVENTS);

/** Probe macos-es with `load` giving the addon (the real one, or a fake in tests). */
export async function probeEs(host: MacosHostApi = realHost, load: () => EsAddonApi, imageLoads = false): Promise<BackendProbe> {
  const id = 'macos-es';
  const no = (code: BackendProbe['code'], reason: string): BackendProbe => ({ id, available: false, code, reason, kinds: noKinds(reason) });
  if (host.platform !== 'darwin') return no('ERR_NOT_SUPPORTED', `runs on macOS only (this is ${host.platform})`);
  const version = host.macosVersion();
  if (version && !versionAtLeast(version, '13.0')) return no('ERR_NOT_SUPPORTED', `the macos-es addon is built for macOS 13 or later (this is ${version})`);
  try {
    load();
  } catch (err) {
    return no((err as EdrkitError).code ?? 'ERR_NATIVE_MISSING', (err as Error).message);
  }
  const byVersion = availableEvents(undefined, version);
  const has = (e: EsEventName) => CONVERTED.has(e) && byVersion(e);
  const kinds = kindSupport(has, version, imageLoads);
  // Kinds that have ES events, none of which the addon converts yet, say so (eslogger has them).
  for (const [kind, events] of Object.entries(ES_EVENTS_BY_KIND)) {
    const k = kind as keyof typeof kinds;
    if (!kinds[k].supported && events.every((e) => !CONVERTED.has(e))) kinds[k] = { supported: false, reason: `the macos-es addon does not convert ES ${events.join('/')} yet; backend macos-eslogger maps it` };
  }
  const details = { ...(version ? { macos: version } : {}), entitlement: 'checked when the ES client is created', fullDiskAccess: 'checked when the ES client is created' };
  if (!host.isRoot()) return { id, available: false, code: 'ERR_PERMISSION', reason: 'Endpoint Security needs root: run edrkit with sudo', kinds, details };
  return { id, available: true, kinds, details };
}
