/**
 * Microsoft-Windows-Security-Auditing records → edrkit events: logons (4624, 4625, 4634,
 * 4647), local accounts (4720, 4722–4726, 4738), scheduled tasks (4698–4702), services (4697)
 * and, for hosts that audit them, process creation and exit (4688, 4689). Field names are the
 * Security-Auditing manifest's. Other ids (object access, privilege use, 1102 log cleared,
 * which has no kind in model v1.1) map to nothing.
 *
 * @module
 */
import type { EventDraft, Process } from '@edrkit/core';
import { accountName, envelope, id, processOf, requiredId, requiredText, text } from './record-fields.js';
import { taskCommand } from './task-xml.js';
import { serviceKey, startTypeOfCode } from './service-control.js';
import type { WindowsRecord } from './windows-record.js';

/** Windows logon types (the `LogonType` field) by number, in the names Microsoft's docs give. */
export const LOGON_TYPES: Readonly<Record<number, string>> = {
  0: 'System',
  2: 'Interactive',
  3: 'Network',
  4: 'Batch',
  5: 'Service',
  7: 'Unlock',
  8: 'NetworkCleartext',
  9: 'NewCredentials',
  10: 'RemoteInteractive',
  11: 'CachedInteractive',
  12: 'CachedRemoteInteractive',
  13: 'CachedUnlock',
};

/** NTSTATUS codes of failed logons (4625 `Status` / `SubStatus`) → the reason in words. */
const LOGON_FAILURES: Readonly<Record<number, string>> = {
  0xc0000064: 'unknown user',
  0xc000006a: 'bad password',
  0xc000006d: 'bad user name or password',
  0xc000006f: 'outside allowed logon hours',
  0xc0000070: 'workstation not allowed',
  0xc0000071: 'password expired',
  0xc0000072: 'account disabled',
  0xc0000133: 'clocks out of sync',
  0xc000015b: 'logon type not granted',
  0xc0000193: 'account expired',
  0xc0000224: 'password must change',
  0xc0000234: 'account locked',
};

function method(r: WindowsRecord): string {
  const type = id(r, 'LogonType');
  return type === undefined ? 'Unknown' : (LOGON_TYPES[type] ?? `LogonType ${type}`);
}

/** The subject (the account and process that did it): `Subject*` fields and `ProcessId`/`ProcessName`. */
function subject(r: WindowsRecord, pidField = 'ProcessId', exeField = 'ProcessName'): Process {
  const user = accountName(r, 'Subject');
  const sid = text(r, 'SubjectUserSid');
  const exe = text(r, exeField);
  const pid = id(r, pidField);
  return processOf(r, { ...(pid !== undefined ? { pid } : {}), ...(exe ? { exe } : {}), ...(user ? { user } : {}), ...(sid ? { sid } : {}) });
}

function remote(r: WindowsRecord) {
  const ip = text(r, 'IpAddress');
  if (ip === undefined || !/^[0-9a-f.:]+$/i.test(ip)) return {};
  const p = id(r, 'IpPort');
  return { remote: { ip, ...(p !== undefined && p > 0 && p <= 65535 ? { port: p } : {}) } };
}

function auth(r: WindowsRecord) {
  const sid = text(r, 'TargetUserSid');
  const session = text(r, 'TargetLogonId');
  return { user: accountName(r, 'Target') ?? '', ...(sid ? { sid } : {}), method: method(r), ...(session ? { session } : {}), ...remote(r) };
}

function failure(r: WindowsRecord): string | undefined {
  const sub = id(r, 'SubStatus');
  const status = id(r, 'Status');
  return (sub !== undefined ? LOGON_FAILURES[sub] : undefined) ?? (status !== undefined ? LOGON_FAILURES[status] : undefined) ?? text(r, 'FailureReason');
}

function account(r: WindowsRecord) {
  const sid = text(r, 'TargetSid');
  return { name: accountName(r, 'Target') ?? requiredText(r, 'TargetUserName'), ...(sid ? { sid } : {}) };
}

function task(r: WindowsRecord) {
  const name = requiredText(r, 'TaskName');
  const command = taskCommand(text(r, 'TaskContent') ?? text(r, 'TaskContentNew'));
  return { name, path: name, scheduler: 'task-scheduler' as const, ...(command ? { command } : {}) };
}

/** One Security-Auditing record → its events. */
export function mapSecurity(r: WindowsRecord): EventDraft[] {
  const base = envelope(r);
  switch (r.eventId) {
    case 4624:
      return [{ kind: 'auth.logon', ...base, process: subject(r), auth: auth(r) }];
    case 4625: {
      const reason = failure(r);
      return [{ kind: 'auth.failed', ...base, process: subject(r), auth: { ...auth(r), ...(reason ? { reason } : {}) } }];
    }
    case 4634:
    case 4647:
      // Logoffs name only the account; the process is the one that wrote the record (lsass).
      return [{ kind: 'auth.logoff', ...base, process: processOf(r, {}), auth: auth(r) }];
    case 4720:
      return [{ kind: 'account.create', ...base, process: subject(r), account: account(r) }];
    case 4722:
    case 4725:
      return [{ kind: 'account.modify', ...base, process: subject(r), account: { ...account(r), changes: { enabled: r.eventId === 4722 } } }];
    case 4723:
    case 4724:
      return [{ kind: 'account.modify', ...base, process: subject(r), account: { ...account(r), changes: { password: true } } }];
    case 4738:
      return [{ kind: 'account.modify', ...base, process: subject(r), account: account(r) }];
    case 4726:
      return [{ kind: 'account.delete', ...base, process: subject(r), account: account(r) }];
    case 4698:
      return [{ kind: 'task.create', ...base, process: subject(r), task: task(r) }];
    case 4699:
      return [{ kind: 'task.delete', ...base, process: subject(r), task: task(r) }];
    case 4700:
    case 4701:
    case 4702:
      return [{ kind: 'task.modify', ...base, process: subject(r), task: task(r) }];
    case 4697: {
      const name = requiredText(r, 'ServiceName');
      const command = text(r, 'ServiceFileName');
      const startType = startTypeOfCode(id(r, 'ServiceStartType'));
      const user = text(r, 'ServiceAccount');
      return [{ kind: 'service.create', ...base, process: subject(r), service: { name, path: serviceKey(name), ...(command ? { command } : {}), ...(startType ? { startType } : {}), ...(user ? { user } : {}) } }];
    }
    case 4688: {
      // NewProcess* is the new image; ProcessId/ParentProcessName the creator.
      const pid = requiredId(r, 'NewProcessId');
      const ppid = id(r, 'ProcessId');
      const exe = requiredText(r, 'NewProcessName');
      const cmdline = text(r, 'CommandLine');
      const parentExe = text(r, 'ParentProcessName');
      const user = accountName(r, 'Target') ?? accountName(r, 'Subject');
      const process = processOf(r, { pid, exe, ...(ppid !== undefined ? { ppid } : {}), ...(cmdline ? { cmdline } : {}), ...(user ? { user } : {}) });
      return [{ kind: 'process.exec', ...base, process: { ...process, ...(ppid !== undefined && parentExe ? { parent: { pid: ppid, exe: parentExe } } : {}) } }];
    }
    case 4689: {
      const exitCode = id(r, 'Status');
      return [{ kind: 'process.exit', ...base, process: subject(r), ...(exitCode !== undefined ? { exitCode: exitCode | 0 } : {}) }];
    }
    default:
      return [];
  }
}
