/**
 * Sigma log sources → edrkit event kinds and platforms. A rule is evaluated only on
 * events of the kinds (and platform) its log source names; a log source edrkit does not
 * observe makes the rule `not-applicable`, with the reason.
 *
 * @module
 */
import type { EdrEvent, ObservableKind, Platform } from '@edrkit/core';
import { SigmaRuleError } from './errors.js';

/** A rule's `logsource` section. */
export interface LogSource {
  category?: string;
  product?: string;
  service?: string;
  definition?: string;
  [key: string]: unknown;
}

/** Sigma category → the edrkit kinds that carry it. */
export const CATEGORY_KINDS: Readonly<Record<string, readonly ObservableKind[]>> = {
  process_creation: ['process.exec'],
  process_termination: ['process.exit'],
  file_event: ['file.create'],
  file_change: ['file.modify'],
  file_delete: ['file.delete'],
  file_rename: ['file.rename'],
  file_access: ['file.open'],
  network_connection: ['net.connect', 'net.accept'],
  dns_query: ['dns.query'],
  image_load: ['image.load'],
  driver_load: ['kmod.load'],
  registry_event: ['registry.set', 'registry.create', 'registry.delete', 'registry.rename'],
  registry_add: ['registry.create'],
  registry_set: ['registry.set'],
  registry_delete: ['registry.delete'],
  registry_rename: ['registry.rename'],
  // Model v1.1 kinds (Sysmon 8, 10, 17/18, 19-21, 25; PowerShell 4104).
  process_access: ['process.access'],
  create_remote_thread: ['process.tamper'],
  process_tampering: ['process.tamper'],
  ps_script: ['script.content'],
  pipe_created: ['pipe.create', 'pipe.connect'],
  wmi_event: ['wmi.filter', 'wmi.consumer', 'wmi.binding'],
};

const POWERSHELL = new Set(['powershell', 'pwsh', 'powershell.exe', 'pwsh.exe']);

/**
 * Categories that cover only some events of their kinds: a remote thread is one tampering
 * technique, a PowerShell script block one interpreter's script content.
 */
export const CATEGORY_WHERE: Readonly<Record<string, (event: EdrEvent) => boolean>> = {
  create_remote_thread: (e) => e.kind === 'process.tamper' && e.technique === 'remote-thread',
  ps_script: (e) => e.kind === 'script.content' && POWERSHELL.has(e.script.interpreter.toLowerCase()),
};

/** Categories of Windows-only mechanisms: a rule naming another product does not apply. */
const WINDOWS_ONLY = ['registry', 'pipe_created', 'wmi_event'];

const PRODUCTS: readonly Platform[] = ['linux', 'macos', 'windows'];

/** Where a rule runs: the kinds it is evaluated on, and on which platforms' events. */
export interface RuleTarget {
  kinds: readonly ObservableKind[];
  platforms: readonly Platform[];
  /** When the category covers only some events of its kinds: which ones. */
  where?: (event: EdrEvent) => boolean;
}

function notApplicable(reason: string): SigmaRuleError {
  return new SigmaRuleError('not-applicable', reason, 'logsource');
}

/**
 * Resolve a log source. Throws a `not-applicable` {@link SigmaRuleError} for sources edrkit
 * does not observe (services such as auditd or syslog, products other than an OS,
 * categories with no edrkit event) — saying what the rule needs.
 */
export function resolveLogSource(ls: LogSource): RuleTarget {
  const product = ls.product?.toLowerCase();
  const category = ls.category?.toLowerCase();
  const service = ls.service?.toLowerCase();
  if (product !== undefined && !(PRODUCTS as readonly string[]).includes(product)) {
    throw notApplicable(`product '${product}' is not an operating system edrkit observes (linux, macos, windows)`);
  }
  if (service !== undefined) {
    const of = product ? ` on ${product}` : '';
    throw notApplicable(
      `service '${service}'${of} is a log (${service === 'auditd' ? 'the Linux audit log' : `the ${service} log`}) that edrkit does not read; edrkit observes events (process, file, network, …), not log files`,
    );
  }
  if (category === undefined && product !== undefined) {
    throw notApplicable(`product '${product}' with no category means any ${product} log (syslog, event logs, …), which edrkit does not read; edrkit maps categories (${Object.keys(CATEGORY_KINDS).join(', ')}) to its events`);
  }
  if (category === undefined) {
    throw notApplicable(`the log source names no category; edrkit maps categories (${Object.keys(CATEGORY_KINDS).join(', ')}) to its events`);
  }
  const kinds = CATEGORY_KINDS[category];
  if (!kinds) {
    throw notApplicable(`category '${category}' has no edrkit event (supported: ${Object.keys(CATEGORY_KINDS).join(', ')})`);
  }
  if (WINDOWS_ONLY.some((c) => category.startsWith(c)) && product !== undefined && product !== 'windows') {
    throw notApplicable(`category '${category}' exists only on windows`);
  }
  const where = CATEGORY_WHERE[category];
  return { kinds, platforms: product ? [product as Platform] : PRODUCTS, ...(where ? { where } : {}) };
}

/**
 * Sysmon event ids of each generic category (the taxonomy appendix's table), for
 * evaluating rules over raw Sysmon records: a `registry_set` rule only sees event 13.
 */
export const SYSMON_EVENT_IDS: Readonly<Record<string, readonly number[]>> = {
  process_creation: [1],
  file_change: [2],
  network_connection: [3],
  process_termination: [5],
  driver_load: [6],
  image_load: [7],
  create_remote_thread: [8],
  raw_access_thread: [9],
  process_access: [10],
  file_event: [11],
  registry_event: [12, 13, 14],
  registry_add: [12],
  registry_delete: [12],
  registry_set: [13],
  registry_rename: [14],
  create_stream_hash: [15],
  pipe_created: [17, 18],
  wmi_event: [19, 20, 21],
  dns_query: [22],
  file_delete: [23, 26],
  clipboard_capture: [24],
  process_tampering: [25],
  file_block_executable: [27],
  file_block_shredding: [28],
  file_executable_detected: [29],
};
