/**
 * The payload templates of the ETW events the `windows-etw` backend decodes, per provider,
 * event id and version, written as the provider manifests give them (`Name(Type Field, …)`,
 * as dumped through TDH by jdu2600/Windows10EtwEvents; test/windows/etw-templates.test.ts checks
 * every line against that dump in the corpus). Decoding from known templates, instead of asking
 * TDH per event, keeps the record callback short: it copies the bytes and returns.
 *
 * @module
 */

/** The in-types the templates use (the manifest's `win:` types). */
export type FieldType = 'UInt8' | 'UInt16' | 'UInt32' | 'UInt64' | 'Int32' | 'HexInt32' | 'HexInt64' | 'Pointer' | 'FILETIME' | 'UnicodeString' | 'AnsiString' | 'SID' | 'GUID' | 'Binary' | 'Boolean';

/** One payload field. */
export interface TemplateField {
  readonly name: string;
  readonly type: FieldType;
  /** Binary fields: a fixed length, or the name of the earlier field that holds it. */
  readonly length?: number | string;
}

/** One event's payload layout. */
export interface EventTemplate {
  readonly provider: ProviderName;
  readonly id: number;
  readonly version: number;
  readonly name: string;
  readonly fields: readonly TemplateField[];
  /** The template text, as the manifest dump writes it. */
  readonly text: string;
}

/** Provider names and GUIDs (from the manifests' `<provider>` elements). */
export const PROVIDERS = {
  'Microsoft-Windows-Kernel-Process': '22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716',
  'Microsoft-Windows-Kernel-File': 'edd08927-9cc4-4e65-b970-c2560fb5c289',
  'Microsoft-Windows-Kernel-Network': '7dd42a49-5329-4832-8dfd-43d979153a88',
  'Microsoft-Windows-Kernel-Registry': '70eb4f03-c1de-4f73-a051-33d13d5413bd',
  'Microsoft-Windows-DNS-Client': '1c95126e-7eea-49a9-a3fe-a378b03ddb4d',
  'Microsoft-Windows-Kernel-Audit-API-Calls': 'e02a841c-75a3-4fa7-afc8-ae09cf9b7f23',
  'Microsoft-Windows-PowerShell': 'a0c1853b-5c40-4b15-8766-3cf1c58f985a',
} as const;
/** A provider the backend decodes. */
export type ProviderName = keyof typeof PROVIDERS;

/**
 * Lengths of Binary fields, which the dump does not give: IPv6 addresses are 16 bytes
 * (Kernel-Network ids 26–34, 58–59), registry data is as long as its `…CapturedSize` field.
 */
const BINARY_LENGTHS: Readonly<Record<string, number | string>> = {
  daddr: 16,
  saddr: 16,
  CapturedData: 'CapturedDataSize',
  PreviousData: 'PreviousDataCapturedSize',
};

const RAW: ReadonlyArray<readonly [ProviderName, number, number, string]> = [
  ['Microsoft-Windows-Kernel-Process', 1, 0, 'ProcessStart(UInt32 ProcessID, FILETIME CreateTime, UInt32 ParentProcessID, UInt32 SessionID, UnicodeString ImageName)'],
  ['Microsoft-Windows-Kernel-Process', 1, 1, 'ProcessStart_V1(UInt32 ProcessID, FILETIME CreateTime, UInt32 ParentProcessID, UInt32 SessionID, UInt32 Flags, UnicodeString ImageName)'],
  ['Microsoft-Windows-Kernel-Process', 1, 2, 'ProcessStart_V2(UInt32 ProcessID, FILETIME CreateTime, UInt32 ParentProcessID, UInt32 SessionID, UInt32 Flags, UnicodeString ImageName, UInt32 ImageChecksum, UInt32 TimeDateStamp, UnicodeString PackageFullName, UnicodeString PackageRelativeAppId)'],
  ['Microsoft-Windows-Kernel-Process', 1, 3, 'ProcessStart_V3(UInt32 ProcessID, UInt64 ProcessSequenceNumber, FILETIME CreateTime, UInt32 ParentProcessID, UInt64 ParentProcessSequenceNumber, UInt32 SessionID, UInt32 Flags, UInt32 ProcessTokenElevationType, UInt32 ProcessTokenIsElevated, SID MandatoryLabel, UnicodeString ImageName, UInt32 ImageChecksum, UInt32 TimeDateStamp, UnicodeString PackageFullName, UnicodeString PackageRelativeAppId)'],
  ['Microsoft-Windows-Kernel-Process', 1, 4, 'ProcessStart_V4(UInt32 ProcessID, UInt64 ProcessSequenceNumber, FILETIME CreateTime, UInt32 ParentProcessID, UInt64 ParentProcessSequenceNumber, UInt32 SessionID, UInt32 Flags, UInt32 ProcessTokenElevationType, UInt32 ProcessTokenIsElevated, SID MandatoryLabel, UnicodeString ImageName, UInt32 ImageChecksum, UInt32 TimeDateStamp, UnicodeString PackageFullName, UnicodeString PackageRelativeAppId, UInt32 SecurityMitigations)'],
  ['Microsoft-Windows-Kernel-Process', 1, 5, 'ProcessStart_V5(UInt32 ProcessID, UInt64 ProcessSequenceNumber, FILETIME CreateTime, UInt32 ParentProcessID, UInt64 ParentProcessSequenceNumber, UInt32 SessionID, UInt32 Flags, UInt32 ProcessTokenElevationType, UInt32 ProcessTokenIsElevated, SID MandatoryLabel, UnicodeString ImageName, UInt32 ImageChecksum, UInt32 TimeDateStamp, UnicodeString PackageFullName, UnicodeString PackageRelativeAppId, UInt32 SecurityMitigations, UInt32 PartitionID, UInt16 ProcessMachine)'],
  ['Microsoft-Windows-Kernel-Process', 2, 0, 'ProcessStop(UInt32 ProcessID, FILETIME CreateTime, FILETIME ExitTime, UInt32 ExitCode, UInt32 TokenElevationType, UInt32 HandleCount, UInt64 CommitCharge, UInt64 CommitPeak, AnsiString ImageName)'],
  ['Microsoft-Windows-Kernel-Process', 2, 1, 'ProcessStop_V1(UInt32 ProcessID, FILETIME CreateTime, FILETIME ExitTime, UInt32 ExitCode, UInt32 TokenElevationType, UInt32 HandleCount, UInt64 CommitCharge, UInt64 CommitPeak, UInt64 CPUCycleCount, UInt32 ReadOperationCount, UInt32 WriteOperationCount, UInt32 ReadTransferKiloBytes, UInt32 WriteTransferKiloBytes, UInt32 HardFaultCount, AnsiString ImageName)'],
  ['Microsoft-Windows-Kernel-Process', 2, 2, 'ProcessStop_V2(UInt32 ProcessID, UInt64 ProcessSequenceNumber, FILETIME CreateTime, FILETIME ExitTime, UInt32 ExitCode, UInt32 TokenElevationType, UInt32 HandleCount, UInt64 CommitCharge, UInt64 CommitPeak, UInt64 CPUCycleCount, UInt32 ReadOperationCount, UInt32 WriteOperationCount, UInt32 ReadTransferKiloBytes, UInt32 WriteTransferKiloBytes, UInt32 HardFaultCount, AnsiString ImageName)'],
  ['Microsoft-Windows-Kernel-Process', 3, 0, 'ThreadStart(UInt32 ProcessID, UInt32 ThreadID, Pointer StackBase, Pointer StackLimit, Pointer UserStackBase, Pointer UserStackLimit, Pointer StartAddr, Pointer Win32StartAddr, Pointer TebBase)'],
  ['Microsoft-Windows-Kernel-Process', 3, 1, 'ThreadStart_V1(UInt32 ProcessID, UInt32 ThreadID, Pointer StackBase, Pointer StackLimit, Pointer UserStackBase, Pointer UserStackLimit, Pointer StartAddr, Pointer Win32StartAddr, Pointer TebBase, UInt32 SubProcessTag)'],
  ['Microsoft-Windows-Kernel-Process', 5, 0, 'ImageLoad(Pointer ImageBase, Pointer ImageSize, UInt32 ProcessID, UInt32 ImageCheckSum, UInt32 TimeDateStamp, Pointer DefaultBase, UnicodeString ImageName)'],
  ['Microsoft-Windows-Kernel-File', 12, 0, 'Create(Pointer Irp, Pointer ThreadId, Pointer FileObject, UInt32 CreateOptions, UInt32 CreateAttributes, UInt32 ShareAccess, UnicodeString FileName)'],
  ['Microsoft-Windows-Kernel-File', 12, 1, 'Create_V1(Pointer Irp, Pointer FileObject, UInt32 IssuingThreadId, UInt32 CreateOptions, UInt32 CreateAttributes, UInt32 ShareAccess, UnicodeString FileName)'],
  ['Microsoft-Windows-Kernel-File', 16, 0, 'Write(UInt64 ByteOffset, Pointer Irp, Pointer ThreadId, Pointer FileObject, Pointer FileKey, UInt32 IOSize, UInt32 IOFlags)'],
  ['Microsoft-Windows-Kernel-File', 16, 1, 'Write_V1(UInt64 ByteOffset, Pointer Irp, Pointer FileObject, Pointer FileKey, UInt32 IssuingThreadId, UInt32 IOSize, UInt32 IOFlags, UInt32 ExtraFlags)'],
  ['Microsoft-Windows-Kernel-File', 26, 0, 'DeletePath(Pointer Irp, Pointer ThreadId, Pointer FileObject, Pointer FileKey, Pointer ExtraInformation, UInt32 InfoClass, UnicodeString FilePath)'],
  ['Microsoft-Windows-Kernel-File', 26, 1, 'DeletePath_V1(Pointer Irp, Pointer FileObject, Pointer FileKey, Pointer ExtraInformation, UInt32 IssuingThreadId, UInt32 InfoClass, UnicodeString FilePath)'],
  ['Microsoft-Windows-Kernel-File', 27, 0, 'RenamePath(Pointer Irp, Pointer ThreadId, Pointer FileObject, Pointer FileKey, Pointer ExtraInformation, UInt32 InfoClass, UnicodeString FilePath)'],
  ['Microsoft-Windows-Kernel-File', 27, 1, 'RenamePath_V1(Pointer Irp, Pointer FileObject, Pointer FileKey, Pointer ExtraInformation, UInt32 IssuingThreadId, UInt32 InfoClass, UnicodeString FilePath)'],
  ['Microsoft-Windows-Kernel-File', 30, 0, 'CreateNewFile(Pointer Irp, Pointer ThreadId, Pointer FileObject, UInt32 CreateOptions, UInt32 CreateAttributes, UInt32 ShareAccess, UnicodeString FileName)'],
  ['Microsoft-Windows-Kernel-File', 30, 1, 'CreateNewFile_V1(Pointer Irp, Pointer FileObject, UInt32 IssuingThreadId, UInt32 CreateOptions, UInt32 CreateAttributes, UInt32 ShareAccess, UnicodeString FileName)'],
  ['Microsoft-Windows-Kernel-Network', 12, 0, 'KERNEL_NETWORK_TASK_TCPIPConnectionattempted.(UInt32 PID, UInt32 size, UInt32 daddr, UInt32 saddr, UInt16 dport, UInt16 sport, UInt16 mss, UInt16 sackopt, UInt16 tsopt, UInt16 wsopt, UInt32 rcvwin, UInt16 rcvwinscale, UInt16 sndwinscale, UInt32 seqnum, UInt32 connid)'],
  ['Microsoft-Windows-Kernel-Network', 15, 0, 'KERNEL_NETWORK_TASK_TCPIPConnectionaccepted.(UInt32 PID, UInt32 size, UInt32 daddr, UInt32 saddr, UInt16 dport, UInt16 sport, UInt16 mss, UInt16 sackopt, UInt16 tsopt, UInt16 wsopt, UInt32 rcvwin, UInt16 rcvwinscale, UInt16 sndwinscale, UInt32 seqnum, UInt32 connid)'],
  ['Microsoft-Windows-Kernel-Network', 28, 0, 'KERNEL_NETWORK_TASK_TCPIPConnectionattempted.28(UInt32 PID, UInt32 size, Binary daddr, Binary saddr, UInt16 dport, UInt16 sport, UInt16 mss, UInt16 sackopt, UInt16 tsopt, UInt16 wsopt, UInt32 rcvwin, UInt16 rcvwinscale, UInt16 sndwinscale, UInt32 seqnum, UInt32 connid)'],
  ['Microsoft-Windows-Kernel-Network', 31, 0, 'KERNEL_NETWORK_TASK_TCPIPConnectionaccepted.31(UInt32 PID, UInt32 size, Binary daddr, Binary saddr, UInt16 dport, UInt16 sport, UInt16 mss, UInt16 sackopt, UInt16 tsopt, UInt16 wsopt, UInt32 rcvwin, UInt16 rcvwinscale, UInt16 sndwinscale, UInt32 seqnum, UInt32 connid)'],
  ['Microsoft-Windows-Kernel-Network', 42, 0, 'KERNEL_NETWORK_TASK_UDPIPDatasentoverUDPprotocol.(UInt32 PID, UInt32 size, UInt32 daddr, UInt32 saddr, UInt16 dport, UInt16 sport, UInt32 seqnum, UInt32 connid)'],
  ['Microsoft-Windows-Kernel-Network', 58, 0, 'KERNEL_NETWORK_TASK_UDPIPDatasentoverUDPprotocol.58(UInt32 PID, UInt32 size, Binary daddr, Binary saddr, UInt16 dport, UInt16 sport, UInt32 seqnum, UInt32 connid)'],
  ['Microsoft-Windows-Kernel-Registry', 1, 0, 'task_0CreateKey(Pointer BaseObject, Pointer KeyObject, UInt32 Status, UInt32 Disposition, UnicodeString BaseName, UnicodeString RelativeName)'],
  ['Microsoft-Windows-Kernel-Registry', 3, 0, 'task_0DeleteKey(Pointer KeyObject, UInt32 Status, UnicodeString KeyName)'],
  ['Microsoft-Windows-Kernel-Registry', 5, 0, 'task_0SetValueKey(Pointer KeyObject, UInt32 Status, UInt32 Type, UInt32 DataSize, UnicodeString KeyName, UnicodeString ValueName, UInt16 CapturedDataSize, Binary CapturedData, UInt32 PreviousDataType, UInt32 PreviousDataSize, UInt16 PreviousDataCapturedSize, Binary PreviousData)'],
  ['Microsoft-Windows-Kernel-Registry', 6, 0, 'task_0DeleteValueKey(Pointer KeyObject, UInt32 Status, UnicodeString KeyName, UnicodeString ValueName)'],
  ['Microsoft-Windows-DNS-Client', 3008, 0, 'task_03008(UnicodeString QueryName, UInt32 QueryType, UInt64 QueryOptions, UInt32 QueryStatus, UnicodeString QueryResults)'],
  ['Microsoft-Windows-Kernel-Audit-API-Calls', 5, 0, 'task_05(UInt32 TargetProcessId, UInt32 DesiredAccess, UInt32 ReturnCode)'],
  // Not in the corpus's dump: the PowerShell manifest's ScriptBlockText template (event 4104, version 1).
  ['Microsoft-Windows-PowerShell', 4104, 1, 'ScriptBlockText(Int32 MessageNumber, Int32 MessageTotal, UnicodeString ScriptBlockText, UnicodeString ScriptBlockId, UnicodeString Path)'],
];

const TYPES = new Set<string>(['UInt8', 'UInt16', 'UInt32', 'UInt64', 'Int32', 'HexInt32', 'HexInt64', 'Pointer', 'FILETIME', 'UnicodeString', 'AnsiString', 'SID', 'GUID', 'Binary', 'Boolean']);

/** Parse `Name(Type Field, …)`. Throws for a type the decoder does not know. */
export function parseTemplate(provider: ProviderName, id: number, version: number, text: string): EventTemplate {
  const m = /^([^(]*)\((.*)\)$/.exec(text);
  if (!m) throw new TypeError(`template ${provider} ${id} v${version}: not Name(fields): ${text}`);
  const fields = m[2]!.trim() === ''
    ? []
    : m[2]!.split(',').map((f) => {
        const [type, name] = f.trim().split(/\s+/);
        if (!type || !name || !TYPES.has(type)) throw new TypeError(`template ${provider} ${id} v${version}: field ${JSON.stringify(f)}`);
        const length = type === 'Binary' ? BINARY_LENGTHS[name] : undefined;
        if (type === 'Binary' && length === undefined) throw new TypeError(`template ${provider} ${id} v${version}: no length for Binary ${name}`);
        return { name, type: type as FieldType, ...(length !== undefined ? { length } : {}) };
      });
  return { provider, id, version, name: m[1]!, fields, text };
}

/** Every template, by `provider/id/version`. */
export const TEMPLATES: ReadonlyMap<string, EventTemplate> = new Map(RAW.map(([p, id, v, text]) => [`${p}/${id}/${v}`, parseTemplate(p, id, v, text)]));

/** The template of an event, or undefined when the backend does not decode that id/version. */
export function templateOf(provider: ProviderName, id: number, version: number): EventTemplate | undefined {
  return TEMPLATES.get(`${provider}/${id}/${version}`);
}
