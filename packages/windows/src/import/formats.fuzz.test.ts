import { safeParseEvent } from '@edrkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evtxJsonFormat, winlogJsonFormat } from './formats.js';
import { WindowsRecordError } from './windows-record.js';

const where = { input: 'fuzz.json', record: 1, line: 1 };

/** Decode; the only acceptable failure is a WindowsRecordError, and every event must be valid. */
function check(format: typeof evtxJsonFormat, value: unknown): void {
  let events;
  try {
    events = format.createDecoder().decode(value, where).events;
  } catch (err) {
    expect(err).toBeInstanceOf(WindowsRecordError);
    expect((err as WindowsRecordError).code).toBe('ERR_INVALID_RECORD');
    return;
  }
  for (const e of events) {
    const r = safeParseEvent({ ...e, seq: 0 });
    expect(r.ok, r.ok ? '' : r.error.message).toBe(true);
  }
}

const PROVIDERS = ['Microsoft-Windows-Sysmon', 'Microsoft-Windows-Security-Auditing', 'Service Control Manager', 'Microsoft-Windows-PowerShell', 'Microsoft-Windows-WMI-Activity', 'Microsoft-Windows-TaskScheduler', 'Other'];
const IDS = [1, 3, 5, 6, 7, 8, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23, 25, 26, 106, 140, 141, 4104, 4624, 4625, 4634, 4647, 4688, 4689, 4697, 4698, 4702, 4720, 4722, 4724, 4726, 4738, 5861, 7040, 7045];
const FIELDS = [
  'ProcessId', 'Image', 'User', 'CommandLine', 'ParentProcessId', 'ParentImage', 'Hashes', 'UtcTime', 'Protocol', 'Initiated', 'SourceIp', 'SourcePort', 'DestinationIp', 'DestinationPort', 'SourceIsIpv6',
  'ImageLoaded', 'SourceProcessId', 'TargetProcessId', 'GrantedAccess', 'NewThreadId', 'TargetFilename', 'EventType', 'TargetObject', 'Details', 'NewName', 'PipeName', 'Name', 'Consumer', 'Filter', 'Type',
  'Operation', 'QueryName', 'QueryResults', 'TargetUserName', 'TargetDomainName', 'TargetUserSid', 'LogonType', 'IpAddress', 'IpPort', 'Status', 'SubStatus', 'TaskName', 'TaskContent', 'ServiceName',
  'ServiceStartType', 'NewProcessId', 'NewProcessName', 'ImagePath', 'StartType', 'param1', 'param3', 'param4', 'ScriptBlockText', 'CONSUMER', 'ESS', 'TargetSid', 'SubjectUserName',
];
const value = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('-', '', 'true', 'false', 'tcp', 'udp', '0x1410', '0xffffffffffff', '-1', '65536', 'CreateKey', 'DeleteValue', 'SetValue', '2025-10-24 23:41:48.482', 'type:  5 a;b;', '<Command>c</Command>', 'auto start'),
  fc.integer({ min: -5, max: 2 ** 40 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);
const data = fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 14 });

describe('Windows import decoders (fuzzed)', () => {
  it('arbitrary JSON: a WindowsRecordError or valid events, never a crash', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (v) => {
        check(evtxJsonFormat, v);
        check(winlogJsonFormat, v);
      }),
      { numRuns: 1500 },
    );
  });

  it('records of every mapped type with arbitrary field values: a WindowsRecordError or valid events', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROVIDERS), fc.constantFrom(...IDS), data, fc.option(fc.constantFrom('2025-10-24T23:41:48.497170Z', '2020-10-22T02:57:59Z', 'x')), (provider, id, fields, time) => {
        const t = time ?? '2025-10-24T23:41:48.4971700Z';
        check(evtxJsonFormat, { Event: { System: { Provider: { '#attributes': { Name: provider } }, EventID: id, TimeCreated: { '#attributes': { SystemTime: t } } }, EventData: fields } });
        check(winlogJsonFormat, { SourceName: provider, EventID: id, TimeCreated: t, ...fields });
      }),
      { numRuns: 4000 },
    );
  });
});
