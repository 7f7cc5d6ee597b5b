import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromEventXml } from './event-xml.js';
import { mapWindowsRecord } from './map-record.js';
import { WindowsRecordError } from './windows-record.js';
import { safeParseEvent } from '@edrkit/core';

const EVENT = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>1</EventID><Version>5</Version><TimeCreated SystemTime='2025-10-25T13:21:33.116889Z'/><EventRecordID>8581967</EventRecordID><Execution ProcessID='3308' ThreadID='4008'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ar-win-dc</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='UtcTime'>2025-10-25 13:21:33.111</Data><Data Name='ProcessId'>7876</Data><Data Name='Image'>C:\\Windows\\System32\\cmdkey.exe</Data><Data Name='CommandLine'>cmdkey &quot;/list&quot; &amp;&#x41;</Data><Data Name='RuleName'/></EventData></Event>`;

describe('rendered event XML', () => {
  it('reads System and EventData as the import reads evtx_dump JSON', () => {
    const r = fromEventXml(EVENT);
    expect(r).toMatchObject({ provider: 'Microsoft-Windows-Sysmon', eventId: 1, version: 5, recordId: 8581967, writerPid: 3308, writerTid: 4008, userSid: 'S-1-5-18', computer: 'ar-win-dc', channel: 'Microsoft-Windows-Sysmon/Operational' });
    expect(r.data).toEqual({ UtcTime: '2025-10-25 13:21:33.111', ProcessId: '7876', Image: 'C:\\Windows\\System32\\cmdkey.exe', CommandLine: 'cmdkey "/list" &A', RuleName: '' });
    expect(mapWindowsRecord(r)[0]).toMatchObject({ kind: 'process.exec', process: { pid: 7876, args: ['cmdkey', '/list', '&A'] } });
  });

  it('reads UserData fields (WMI-Activity 5861) and names what is missing', () => {
    const wmi = EVENT.replace(/<EventData>.*<\/EventData>/, '<UserData><Operation_ESStoConsumerBinding xmlns="x"><Namespace>//./root/subscription</Namespace><ESS>f</ESS><CONSUMER>c</CONSUMER></Operation_ESStoConsumerBinding></UserData>').replace('Microsoft-Windows-Sysmon', 'Microsoft-Windows-WMI-Activity').replace('<EventID>1<', '<EventID>5861<');
    expect(fromEventXml(wmi).data).toEqual({ Namespace: '//./root/subscription', ESS: 'f', CONSUMER: 'c' });
    expect(() => fromEventXml('<Event/>')).toThrow(/no <System>/);
    expect(() => fromEventXml(EVENT.replace("Name='Microsoft-Windows-Sysmon'", ''))).toThrow(/Provider Name/);
    expect(() => fromEventXml(EVENT.replace('<EventID>1<', '<EventID>x<'))).toThrow(/EventID "x"/);
  });

  it('never crashes on arbitrary or mutated XML (fuzzed)', () => {
    const mutated = fc.tuple(fc.nat(EVENT.length), fc.nat(40), fc.string({ unit: fc.constantFrom('<', '>', '/', "'", '"', '&', '#', ';', 'a', '0', ' '), maxLength: 8 })).map(([at, cut, ins]) => EVENT.slice(0, at) + ins + EVENT.slice(at + cut));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), mutated), (text) => {
        try {
          for (const e of mapWindowsRecord(fromEventXml(text))) expect(safeParseEvent({ ...e, seq: 0 }).ok).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(WindowsRecordError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
