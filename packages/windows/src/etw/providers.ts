/**
 * Which ETW providers (and keywords, from the manifests) the backend enables for the kinds a
 * sensor asks for, and what it says about the kinds it cannot produce.
 *
 * @module
 */
import type { KindSupport, ObservableKind } from '@edrkit/core';
import { PROVIDERS, type ProviderName } from './templates.js';

/** One provider to enable. */
export interface ProviderEnable {
  name: ProviderName;
  guid: string;
  /** MatchAnyKeyword; 0 enables every event of providers without keywords. */
  keywords: bigint;
}

const K = {
  process: 0x10n, // WINEVENT_KEYWORD_PROCESS
  thread: 0x20n, // WINEVENT_KEYWORD_THREAD
  image: 0x40n, // WINEVENT_KEYWORD_IMAGE
  fileCreate: 0x80n, // KERNEL_FILE_KEYWORD_CREATE (names file objects for renames and writes)
  fileWrite: 0x200n, // KERNEL_FILE_KEYWORD_WRITE
  fileDelete: 0x400n, // KERNEL_FILE_KEYWORD_DELETE_PATH
  fileRename: 0x800n, // KERNEL_FILE_KEYWORD_RENAME_SETLINK_PATH
  fileNew: 0x1000n, // KERNEL_FILE_KEYWORD_CREATE_NEW_FILE
  ipv4: 0x10n, // KERNEL_NETWORK_KEYWORD_IPV4
  ipv6: 0x20n, // KERNEL_NETWORK_KEYWORD_IPV6
  regCreate: 0x1000n, // CreateKey
  regDelete: 0x4000n, // DeleteKey
  regSet: 0x100n, // SetValueKey
  regDeleteValue: 0x200n, // DeleteValueKey
} as const;

/** Kind → provider and the keywords that carry it. */
const KIND_SOURCES: Partial<Record<ObservableKind, ReadonlyArray<[ProviderName, bigint]>>> = {
  'process.exec': [['Microsoft-Windows-Kernel-Process', K.process]],
  'process.exit': [['Microsoft-Windows-Kernel-Process', K.process]],
  'process.tamper': [['Microsoft-Windows-Kernel-Process', K.thread]],
  'image.load': [['Microsoft-Windows-Kernel-Process', K.image]],
  'file.create': [['Microsoft-Windows-Kernel-File', K.fileNew]],
  'file.modify': [['Microsoft-Windows-Kernel-File', K.fileCreate | K.fileWrite]],
  'file.delete': [['Microsoft-Windows-Kernel-File', K.fileDelete]],
  'file.rename': [['Microsoft-Windows-Kernel-File', K.fileCreate | K.fileRename]],
  'net.connect': [['Microsoft-Windows-Kernel-Network', K.ipv4 | K.ipv6]],
  'net.accept': [['Microsoft-Windows-Kernel-Network', K.ipv4 | K.ipv6]],
  'dns.query': [['Microsoft-Windows-DNS-Client', 0n]],
  'registry.create': [['Microsoft-Windows-Kernel-Registry', K.regCreate]],
  'registry.set': [['Microsoft-Windows-Kernel-Registry', K.regSet]],
  'registry.delete': [['Microsoft-Windows-Kernel-Registry', K.regDelete | K.regDeleteValue]],
  'process.access': [['Microsoft-Windows-Kernel-Audit-API-Calls', 0n]],
  'script.content': [['Microsoft-Windows-PowerShell', 0n]],
};

/** Why the other kinds are not produced by `windows-etw`. */
const UNSUPPORTED: Partial<Record<ObservableKind, string>> = {
  'process.fork': 'Windows has no fork: a new process is process.exec',
  'file.open': 'not decoded: Kernel-File Create carries no access flags edrkit could report as file.open flags',
  'file.attr': 'not decoded: Kernel-File SetInformation/SetSecurity carry no new mode or owner',
  'net.listen': 'Microsoft-Windows-Kernel-Network has no listen event',
  'kmod.load': 'not decoded from ETW in this release; import Sysmon event 6 (--input-format evtx-json|winlog-json)',
  'registry.rename': 'Microsoft-Windows-Kernel-Registry has no rename event',
  'bpf.load': 'eBPF is Linux only',
  'process.credentials': 'POSIX credential calls (set*id, setgroups, capset) do not exist on Windows; token impersonation and privilege adjustment are not mapped to this kind',
};

const EVENT_LOG_ONLY = 'only the Event Log carries it (Security, System, Task Scheduler): use the windows-eventlog backend, or import the log with --input-format evtx-json|winlog-json';
const NOT_YET = 'not decoded from ETW in this release (no provider template)';

/** What `windows-etw` can do, kind by kind (with the reason for the rest). */
export function etwKindSupport(kind: ObservableKind): KindSupport {
  if (KIND_SOURCES[kind]) return { supported: true };
  const reason = UNSUPPORTED[kind] ?? (/^(auth|account|service|task)\./.test(kind) ? EVENT_LOG_ONLY : NOT_YET);
  return { supported: false, reason };
}

/**
 * The providers to enable for `kinds`. Kernel-Process (process keyword) is always on: its
 * ProcessStart events name the images of every other event's pid.
 */
export function providersFor(kinds: readonly ObservableKind[]): ProviderEnable[] {
  const keywords = new Map<ProviderName, bigint>([['Microsoft-Windows-Kernel-Process', K.process]]);
  for (const kind of kinds) for (const [name, kw] of KIND_SOURCES[kind] ?? []) keywords.set(name, (keywords.get(name) ?? 0n) | kw);
  return [...keywords].map(([name, kw]) => ({ name, guid: PROVIDERS[name], keywords: kw }));
}
