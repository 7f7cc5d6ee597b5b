/**
 * `@edrkit/windows`: Windows for edrkit. Windows event log import — `evtx-json` (evtx_dump's
 * JSON) and `winlog-json` (flat JSON Lines) as `ImportFormat`s of `@edrkit/core` for `ReplayBackend` and
 * `edrkit replay|detect --input-format` — mapping Sysmon, Security, Service Control Manager,
 * PowerShell, WMI-Activity and Task Scheduler records to edrkit events — and the `windows-etw`
 * backend: a real-time ETW session through typed koffi bindings (koffi is an optional
 * dependency, loaded only on Windows or for the tests' stand-in library).
 *
 * ```ts
 * import { ReplayBackend, openSensor } from '@edrkit/core';
 * import { evtxJsonFormat } from '@edrkit/windows';
 * const sensor = await openSensor({ backend: new ReplayBackend({ path: 'sysmon.json', format: evtxJsonFormat }) });
 * ```
 *
 * @packageDocumentation
 */
export { evtxJsonFormat, winlogJsonFormat } from './import/formats.js';
export { fromEvtxJson, fromWinlogJson, WindowsRecordError, type WindowsRecord } from './import/windows-record.js';
export { mapWindowsRecord } from './import/map-record.js';
export { splitCommandLine } from './import/command-line.js';
export { windowsEtwDescriptor, windowsEventLogDescriptor, windowsMinifilterDescriptor } from './descriptor.js';
export { WindowsMinifilterBackend, probeWindowsMinifilter, type Verdict } from './minifilter/minifilter-backend.js';
export { WindowsMinifilterOptionsSchema, type WindowsMinifilterOptions } from './minifilter/options.js';
export { decodeFileMessage, MinifilterMessageError, MINIFILTER_PROTOCOL_VERSION } from './minifilter/protocol.js';
export { WindowsEventLogBackend, probeWindowsEventLog } from './eventlog/eventlog-backend.js';
export { WindowsEventLogOptionsSchema, type WindowsEventLogOptions } from './eventlog/options.js';
export { fromEventXml } from './import/event-xml.js';
export { WindowsEtwBackend, probeWindowsEtw } from './etw/etw-backend.js';
export { WindowsEtwOptionsSchema, type WindowsEtwOptions } from './etw/options.js';
export { EtwError, EventLogError, MinifilterError } from './errors.js';
export { EtwDecodeError } from './etw/user-data.js';
