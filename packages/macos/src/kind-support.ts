/**
 * Which edrkit kinds the macOS backends can produce, from the ES events available on this
 * host. Shared by macos-eslogger and macos-es (both read Endpoint Security).
 *
 * @module
 */
import { OBSERVABLE_KINDS, type KindSupport, type ObservableKind } from '@edrkit/core';
import { ES_EVENT_SINCE, ES_EVENTS_BY_KIND, type EsEventName } from './eslogger/event-types.js';
import { versionAtLeast } from './host.js';

/** Why a kind has no Endpoint Security event at all. */
const NO_ES_EVENT: Partial<Record<ObservableKind, string>> = {
  'net.connect': 'Endpoint Security has no network events (flows need a Network Extension, which this backend is not)',
  'net.accept': 'Endpoint Security has no network events (flows need a Network Extension, which this backend is not)',
  'net.listen': 'Endpoint Security has no network events (flows need a Network Extension, which this backend is not)',
  'dns.query': 'Endpoint Security has no DNS events (a Network Extension DNS proxy sees them, which this backend is not)',
  'script.content': 'Endpoint Security names the script file of an exec (raw.macos.script), not the code',
  'service.modify': 'Background Task Management reports launch items added and removed, not changed',
  'task.modify': 'Background Task Management reports launch items added and removed, not changed',
  'bpf.load': 'eBPF is Linux only',
  'process.credentials': 'not mapped in this release: the Endpoint Security setuid-family events (macOS 12 and later) give the ids the call asked for, not the credentials before and after it',
};

function reasonFor(kind: ObservableKind): string {
  if (kind.startsWith('registry.') || kind.startsWith('pipe.') || kind.startsWith('wmi.')) return 'Windows only';
  return NO_ES_EVENT[kind] ?? 'no Endpoint Security event maps to it';
}

/** The ES events this host has: those listed by `eslogger --list-events`, else those of its macOS version. */
export function availableEvents(listed: readonly string[] | undefined, version: string | undefined): (e: EsEventName) => boolean {
  if (listed) {
    const set = new Set(listed);
    return (e) => set.has(e);
  }
  return (e) => version === undefined || versionAtLeast(version, ES_EVENT_SINCE[e] ?? '10.15');
}

/** Why image.load is off unless asked for. */
export const IMAGE_LOADS_OPT_IN = "opt-in: ES reports every executable mmap, a high volume; set backendOptions.imageLoads to subscribe (each process's library is reported once)";

/** Per-kind support, given which ES events exist here; image.load only with `imageLoads`. */
export function kindSupport(has: (e: EsEventName) => boolean, version: string | undefined, imageLoads = false): Record<ObservableKind, KindSupport> {
  const out = {} as Record<ObservableKind, KindSupport>;
  for (const kind of OBSERVABLE_KINDS) {
    if (kind === 'image.load' && !imageLoads) {
      out[kind] = { supported: false, reason: IMAGE_LOADS_OPT_IN };
      continue;
    }
    const events = ES_EVENTS_BY_KIND[kind];
    if (!events) {
      out[kind] = { supported: false, reason: reasonFor(kind) };
      continue;
    }
    const present = events.filter(has);
    if (present.length === 0) {
      const since = events.map((e) => ES_EVENT_SINCE[e] ?? '10.15').sort((a, b) => (versionAtLeast(a, b) ? 1 : -1))[0];
      out[kind] = { supported: false, reason: `needs ES event ${events.join('/')} (macOS ${since} or later${version ? `; this is ${version}` : ''})` };
      continue;
    }
    out[kind] = { supported: true, note: `ES ${present.join(', ')}` };
  }
  return out;
}

/** Every kind unsupported for one reason (another OS, no eslogger, …). */
export function noKinds(reason: string): Record<ObservableKind, KindSupport> {
  return Object.fromEntries(OBSERVABLE_KINDS.map((k) => [k, { supported: false, reason }])) as Record<ObservableKind, KindSupport>;
}
