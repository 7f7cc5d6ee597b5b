/**
 * One Windows event log record, whatever JSON form it came in: evtx_dump's nested
 * `Event.System` / `Event.EventData` objects, or the flat winlog JSON Lines of NXLog and
 * winlogbeat exports (`SourceName`, `EventID`, the fields at top level). The mappers in this
 * folder read only this shape, so both formats map the same way.
 *
 * @module
 */
import { EdrkitError } from '@edrkit/core';

/** A record normalised from either JSON form. */
export interface WindowsRecord {
  /** Provider name (`Microsoft-Windows-Sysmon`, `Microsoft-Windows-Security-Auditing`, …). */
  readonly provider: string;
  /** Channel (`Security`, `Microsoft-Windows-Sysmon/Operational`, …), `''` when absent. */
  readonly channel: string;
  readonly eventId: number;
  readonly version?: number;
  /** When the record was written, ms since the epoch (microseconds kept where the log has them). */
  readonly time: number;
  readonly computer?: string;
  readonly recordId?: number;
  /** The process and thread that wrote the record (System/Execution): lsass for Security, services.exe for SCM. */
  readonly writerPid?: number;
  readonly writerTid?: number;
  /** The SID in System/Security (the account the provider logged for). */
  readonly userSid?: string;
  /** EventData (or UserData) fields, as the log wrote them. */
  readonly data: Readonly<Record<string, unknown>>;
}

/** A record that cannot be read as a Windows event (wrapped by the replay backend with its input and record number). */
export class WindowsRecordError extends EdrkitError {
  constructor(message: string) {
    super('ERR_INVALID_RECORD', message);
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function attrs(v: unknown): Obj {
  return isObj(v) && isObj(v['#attributes']) ? v['#attributes'] : {};
}

/** A whole number from a JSON number, a decimal string or a `0x` hex string (Security logs write pids in hex). */
export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^0x[0-9a-f]+$/i.test(s)) {
    const n = Number.parseInt(s.slice(2), 16);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (/^-?\d+$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/**
 * A Windows timestamp → ms since the epoch: ISO 8601 with up to 7 fraction digits
 * (`2025-10-24T23:41:48.497170Z`, FILETIME precision) or Sysmon's `2025-10-24 23:41:48.482`
 * (UTC, no zone). Undefined when it is neither.
 */
export function parseWindowsTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/.exec(v.trim());
  if (!m) return undefined;
  const whole = Date.parse(`${m[1]}T${m[2]}${m[4] ?? 'Z'}`);
  if (!Number.isFinite(whole) || whole < 0) return undefined;
  // Date.parse keeps milliseconds only: add the fraction ourselves, to the microsecond.
  const fraction = m[3] ? Number(`0.${m[3]}`) * 1000 : 0;
  return whole + Math.round(fraction * 1000) / 1000;
}

/** Flatten EventData / UserData: named fields stay; evtx_dump's `Data` lists become `Data`, `Data1`, … */
function eventFields(e: Obj): Obj {
  const out: Obj = {};
  const data = e['EventData'];
  if (isObj(data)) {
    for (const [k, v] of Object.entries(data)) if (k !== '#attributes') out[k] = v;
  }
  // UserData holds one element (named per event) whose children are the fields.
  const user = e['UserData'];
  if (isObj(user)) {
    for (const [k, v] of Object.entries(user)) {
      if (k === '#attributes') continue;
      if (isObj(v)) for (const [f, x] of Object.entries(v)) if (f !== '#attributes') out[f] = x;
      else out[k] = v;
    }
  }
  return out;
}

function eventIdOf(v: unknown, where: string): number {
  // evtx_dump writes `{"#attributes": {"Qualifiers": …}, "#text": 7045}` when the id has qualifiers.
  const id = toInt(isObj(v) ? v['#text'] : v);
  if (id === undefined || id < 0 || id > 0xffff) throw new WindowsRecordError(`${where}: EventID ${JSON.stringify(v)} is not a number 0-65535`);
  return id;
}

/** An evtx_dump JSON object (`{ "Event": { "System": …, "EventData": … } }`) → a record. */
export function fromEvtxJson(value: unknown): WindowsRecord {
  if (!isObj(value) || !isObj(value['Event'])) throw new WindowsRecordError('not an evtx_dump event: expected an object with "Event"');
  const e = value['Event'];
  const system = e['System'];
  if (!isObj(system)) throw new WindowsRecordError('Event.System is missing or not an object');
  const provider = attrs(system['Provider'])['Name'];
  if (typeof provider !== 'string' || provider === '') throw new WindowsRecordError('Event.System.Provider is missing its Name');
  const eventId = eventIdOf(system['EventID'], 'Event.System');
  const timeText = attrs(system['TimeCreated'])['SystemTime'];
  const time = parseWindowsTime(timeText);
  if (time === undefined) throw new WindowsRecordError(`Event.System.TimeCreated.SystemTime ${JSON.stringify(timeText)} is not a timestamp`);
  const exec = attrs(system['Execution']);
  const channel = system['Channel'];
  const computer = system['Computer'];
  const version = toInt(system['Version']);
  const recordId = toInt(system['EventRecordID']);
  const writerPid = toInt(exec['ProcessID']);
  const writerTid = toInt(exec['ThreadID']);
  const userSid = attrs(system['Security'])['UserID'];
  return {
    provider,
    channel: typeof channel === 'string' ? channel : '',
    eventId,
    time,
    data: eventFields(e),
    ...(version !== undefined ? { version } : {}),
    ...(typeof computer === 'string' ? { computer } : {}),
    ...(recordId !== undefined ? { recordId } : {}),
    ...(writerPid !== undefined ? { writerPid } : {}),
    ...(writerTid !== undefined ? { writerTid } : {}),
    ...(typeof userSid === 'string' ? { userSid } : {}),
  };
}

/** Keys of a flat winlog record that describe the record, not the event (NXLog / winlogbeat names). */
const WINLOG_ENVELOPE = new Set([
  'SourceName', 'ProviderName', 'Channel', 'EventID', 'Version', 'TimeCreated', '@timestamp', 'EventTime', 'Hostname', 'Computer',
  'RecordNumber', 'EventRecordID', 'ExecutionProcessID', 'ExecutionThreadID', 'UserID', 'ProviderGuid', 'Keywords', 'Level', 'Task',
  'Opcode', 'Message', 'Severity', 'SeverityValue', 'EventType', 'SourceModuleName', 'SourceModuleType', 'EventReceivedTime',
  'Category', 'OpcodeValue', 'AccountName', 'AccountType', 'Domain', 'port', 'host', 'tags', '@version', 'ThreadID', 'ProcessID',
]);

/**
 * Fields of the envelope that are also event fields of some events (Sysmon 12–14 `EventType`,
 * SCM 7045 `AccountName`): kept as data too, so the mappers find them.
 */
const ALSO_DATA = new Set(['EventType', 'AccountName', 'Domain', 'Category', 'ProcessID', 'ThreadID']);

/** A flat winlog JSON object (`SourceName`, `EventID`, fields at top level) → a record. */
export function fromWinlogJson(value: unknown): WindowsRecord {
  if (!isObj(value)) throw new WindowsRecordError('not a winlog record: expected a JSON object');
  const provider = value['SourceName'] ?? value['ProviderName'];
  if (typeof provider !== 'string' || provider === '') throw new WindowsRecordError('SourceName is missing or empty');
  const eventId = eventIdOf(value['EventID'], 'record');
  const timeText = value['TimeCreated'] ?? value['@timestamp'] ?? value['EventTime'];
  const time = parseWindowsTime(timeText);
  if (time === undefined) throw new WindowsRecordError(`TimeCreated ${JSON.stringify(timeText)} is not a timestamp`);
  const data: Obj = {};
  for (const [k, v] of Object.entries(value)) if (!WINLOG_ENVELOPE.has(k) || ALSO_DATA.has(k)) data[k] = v;
  const channel = value['Channel'];
  const computer = value['Hostname'] ?? value['Computer'];
  const version = toInt(value['Version']);
  const recordId = toInt(value['RecordNumber'] ?? value['EventRecordID']);
  const writerPid = toInt(value['ExecutionProcessID']);
  const writerTid = toInt(value['ExecutionThreadID']);
  const userSid = value['UserID'];
  return {
    provider,
    channel: typeof channel === 'string' ? channel : '',
    eventId,
    time,
    data,
    ...(version !== undefined ? { version } : {}),
    ...(typeof computer === 'string' ? { computer } : {}),
    ...(recordId !== undefined ? { recordId } : {}),
    ...(writerPid !== undefined ? { writerPid } : {}),
    ...(writerTid !== undefined ? { writerTid } : {}),
    ...(typeof userSid === 'string' ? { userSid } : {}),
  };
}
