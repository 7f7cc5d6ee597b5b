/**
 * A rendered Windows event (`EvtRender(…, EvtRenderEventXml)`, the event schema of
 * http://schemas.microsoft.com/win/2004/08/events/event) → a {@link WindowsRecord}, so events
 * from a live Event Log subscription map exactly like imported ones. Only the elements the
 * schema defines are read (System, EventData/Data, UserData's one child); the text comes from
 * the OS but is treated as untrusted: bounded, entities decoded strictly, fuzzed.
 *
 * @module
 */
import { parseWindowsTime, toInt, WindowsRecordError, type WindowsRecord } from './windows-record.js';

/** Longest rendered event accepted (the Event Log caps an event at 64 KiB of data). */
export const MAX_EVENT_XML = 1 << 20;

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(s: string): string {
  return s.replace(/&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9a-fA-F]{1,6}));/g, (whole, name?: string, dec?: string, hex?: string) => {
    if (name) return ENTITIES[name]!;
    const code = dec ? Number(dec) : Number.parseInt(hex!, 16);
    return code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? unescape(m[1] ?? m[2] ?? '') : undefined;
}

/** The first `<name …>` start tag (or self-closing tag) inside `xml`. */
function tagOf(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}(?:\\s[^>]*)?/?>`).exec(xml)?.[0];
}

/** The text of the first `<name>text</name>`. */
function textOf(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`).exec(xml);
  return m ? unescape(m[1]!) : undefined;
}

function section(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  return m?.[1];
}

/** Parse one rendered event. Throws {@link WindowsRecordError} naming what is missing. */
export function fromEventXml(xml: string): WindowsRecord {
  if (xml.length > MAX_EVENT_XML) throw new WindowsRecordError(`rendered event longer than ${MAX_EVENT_XML} characters`);
  const system = section(xml, 'System');
  if (system === undefined) throw new WindowsRecordError('rendered event has no <System> element');
  const providerTag = tagOf(system, 'Provider');
  const provider = providerTag ? attr(providerTag, 'Name') : undefined;
  if (!provider) throw new WindowsRecordError('rendered event: <Provider Name> is missing');
  const idText = textOf(system, 'EventID');
  const eventId = toInt(idText);
  if (eventId === undefined || eventId < 0 || eventId > 0xffff) throw new WindowsRecordError(`rendered event: EventID ${JSON.stringify(idText)} is not a number 0-65535`);
  const timeTag = tagOf(system, 'TimeCreated');
  const timeText = timeTag ? attr(timeTag, 'SystemTime') : undefined;
  const time = parseWindowsTime(timeText);
  if (time === undefined) throw new WindowsRecordError(`rendered event: TimeCreated SystemTime ${JSON.stringify(timeText)} is not a timestamp`);
  const exec = tagOf(system, 'Execution') ?? '';
  const security = tagOf(system, 'Security') ?? '';
  const data: Record<string, unknown> = {};
  const eventData = section(xml, 'EventData');
  if (eventData !== undefined) {
    let unnamed = 0;
    for (const m of eventData.matchAll(/<Data(\s[^>]*)?(?:\/>|>([^<]*)<\/Data>)/g)) {
      const name = attr(m[1] ?? '', 'Name') ?? `Data${unnamed++ || ''}`;
      data[name] = unescape(m[2] ?? '');
    }
  }
  const userData = section(xml, 'UserData');
  if (userData !== undefined) {
    // UserData holds one element named per event; its children are the fields.
    // Found by indexOf (linear), not a back-referencing regular expression.
    const open = /<([A-Za-z_][\w.-]*)(?:\s[^>]*)?>/.exec(userData);
    const close = open ? userData.lastIndexOf(`</${open[1]}>`) : -1;
    const inner = open && close > open.index ? userData.slice(open.index + open[0].length, close) : '';
    for (const m of inner.matchAll(/<([A-Za-z_][\w.-]*)(?:\s[^>]*)?>([^<]*)<\/\1>/g)) data[m[1]!] = unescape(m[2]!);
  }
  const version = toInt(textOf(system, 'Version'));
  const recordId = toInt(textOf(system, 'EventRecordID'));
  const writerPid = toInt(attr(exec, 'ProcessID'));
  const writerTid = toInt(attr(exec, 'ThreadID'));
  const userSid = attr(security, 'UserID');
  const computer = textOf(system, 'Computer');
  return {
    provider,
    channel: textOf(system, 'Channel') ?? '',
    eventId,
    time,
    data,
    ...(version !== undefined ? { version } : {}),
    ...(computer !== undefined ? { computer } : {}),
    ...(recordId !== undefined ? { recordId } : {}),
    ...(writerPid !== undefined ? { writerPid } : {}),
    ...(writerTid !== undefined ? { writerTid } : {}),
    ...(userSid !== undefined ? { userSid } : {}),
  };
}
