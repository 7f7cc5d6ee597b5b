/**
 * A {@link WindowsRecord} → edrkit event drafts, chosen by provider. Providers not listed
 * (and ids a mapper does not know) give `[]`: the import counts them as unmapped.
 *
 * @module
 */
import type { EventDraft } from '@edrkit/core';
import { mapPowerShell, mapTaskScheduler, mapWmiActivity } from './operational-logs.js';
import { mapSecurity } from './security.js';
import { mapServiceControl } from './service-control.js';
import { mapSysmon } from './sysmon.js';
import type { WindowsRecord } from './windows-record.js';

const BY_PROVIDER: Readonly<Record<string, (r: WindowsRecord) => EventDraft[]>> = {
  'microsoft-windows-sysmon': mapSysmon,
  'microsoft-windows-security-auditing': mapSecurity,
  'service control manager': mapServiceControl,
  'microsoft-windows-powershell': mapPowerShell,
  'microsoft-windows-wmi-activity': mapWmiActivity,
  'microsoft-windows-taskscheduler': mapTaskScheduler,
};

/** The providers the import maps (lower case). */
export const MAPPED_PROVIDERS: readonly string[] = Object.keys(BY_PROVIDER);

/** Map one record; `[]` when its provider or event id has no edrkit kind. */
export function mapWindowsRecord(r: WindowsRecord): EventDraft[] {
  const map = BY_PROVIDER[r.provider.toLowerCase()];
  return map ? map(r) : [];
}
