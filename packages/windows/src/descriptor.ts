/**
 * The descriptors of the `windows-etw`, `windows-eventlog` and `windows-minifilter` backends, for the `edrkit` meta package's backend table.
 * Importing this file loads nothing native: koffi and advapi32.dll are loaded by probe() and
 * start(), and only on Windows (or when a test names a stand-in library).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import type { BackendDescriptor } from '@edrkit/core';
import { probeWindowsEtw, WindowsEtwBackend } from './etw/etw-backend.js';
import { WindowsEtwOptionsSchema, type WindowsEtwOptions } from './etw/options.js';
import { probeWindowsEventLog, WindowsEventLogBackend } from './eventlog/eventlog-backend.js';
import { WindowsEventLogOptionsSchema, type WindowsEventLogOptions } from './eventlog/options.js';
import { probeWindowsMinifilter, WindowsMinifilterBackend } from './minifilter/minifilter-backend.js';
import { WindowsMinifilterOptionsSchema, type WindowsMinifilterOptions } from './minifilter/options.js';

const NEEDED = 'Administrator (elevated) or the Performance Log Users group';

/** The `windows-etw` backend descriptor. */
export const windowsEtwDescriptor: BackendDescriptor<WindowsEtwOptions> = {
  id: 'windows-etw',
  platform: 'windows',
  live: true,
  summary: 'Windows ETW: a real-time session over the kernel process, file, network and registry providers, DNS-Client, Audit-API-Calls and PowerShell',
  options: WindowsEtwOptionsSchema,
  privilege: () => {
    if (process.platform !== 'win32') return { needed: NEEDED, held: false };
    // `net session` succeeds only in an elevated process: the usual cheap check.
    const elevated = spawnSync('net', ['session'], { stdio: 'ignore', timeout: 5000, windowsHide: true }).status === 0;
    return elevated ? { needed: NEEDED, held: true, how: 'elevated' } : { needed: NEEDED, held: false };
  },
  probe: (options) => probeWindowsEtw(options),
  create: (options) => new WindowsEtwBackend(options),
};

/** The `windows-eventlog` backend descriptor (Event Log subscriptions). */
export const windowsEventLogDescriptor: BackendDescriptor<WindowsEventLogOptions> = {
  id: 'windows-eventlog',
  platform: 'windows',
  live: true,
  summary: 'Windows Event Log subscriptions: Security logons and accounts, service and task changes, PowerShell, WMI, and Sysmon where installed',
  options: WindowsEventLogOptionsSchema,
  privilege: () => windowsEtwDescriptor.privilege(),
  probe: (options) => probeWindowsEventLog(options),
  create: (options) => new WindowsEventLogBackend(options),
};

/** The `windows-minifilter` backend descriptor (a vendor minifilter's communication port; every file is allowed when opened this way). */
export const windowsMinifilterDescriptor: BackendDescriptor<WindowsMinifilterOptions> = {
  id: 'windows-minifilter',
  platform: 'windows',
  live: true,
  summary: "Windows minifilter port client: file events from a vendor minifilter's communication port (edrkit protocol v1)",
  options: WindowsMinifilterOptionsSchema,
  privilege: () => windowsEtwDescriptor.privilege(),
  probe: (options) => probeWindowsMinifilter(options),
  create: (options) => new WindowsMinifilterBackend(options),
};
