/**
 * Copied ETW records → edrkit event drafts, per provider, id and version (templates.ts).
 * Kernel providers report a pid, not an image, so the mapper keeps the session's own process
 * table (image and start time from Kernel-Process ProcessStart) to name the acting process,
 * file-object names (Kernel-File Create) for renames and first writes, and the UDP flows seen
 * (Kernel-Network reports every datagram; edrkit reports a flow once). Every table is bounded.
 *
 * @module
 */
import type { EventDraft, Process } from '@edrkit/core';
import { accessRights } from '../import/sysmon.js';
import { BoundedMap } from './bounded-map.js';
import { dnsTypeName } from './dns-types.js';
import type { EtwRecord } from './etw-record.js';
import { registryDataText, REG_TYPES } from './registry-data.js';
import { PROVIDERS, templateOf, type ProviderName } from './templates.js';
import { decodeUserData, fieldTime, type FieldValue } from './user-data.js';

const BY_GUID: ReadonlyMap<string, ProviderName> = new Map(Object.entries(PROVIDERS).map(([name, guid]) => [guid, name as ProviderName]));

/** The name of a provider GUID the backend decodes. */
export function providerName(guid: string): ProviderName | undefined {
  return BY_GUID.get(guid.toLowerCase());
}

interface Known {
  exe: string;
  ppid: number;
  startTime?: number;
}

type Fields = Record<string, FieldValue>;

const num = (v: FieldValue | undefined): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : 0);
const str = (v: FieldValue | undefined): string => (typeof v === 'string' ? v : '');
const hex = (v: FieldValue | undefined): string => `0x${(typeof v === 'bigint' ? v : BigInt(num(v))).toString(16)}`;

/** An IPv4 address stored as a UInt32 in network byte order, read little-endian. */
function ipv4(v: FieldValue | undefined): string {
  const n = num(v) >>> 0;
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.');
}

/** A 16-byte IPv6 address, compressed as RFC 5952 asks. */
function ipv6(v: FieldValue | undefined): string {
  if (!(v instanceof Uint8Array) || v.length !== 16) return '::';
  const groups = Array.from({ length: 8 }, (_, i) => ((v[i * 2]! << 8) | v[i * 2 + 1]!).toString(16));
  let best = -1;
  let len = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > len && j - i > 1) (best = i), (len = j - i);
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + len).join(':')}`;
}

/** A port stored in network byte order, read little-endian. */
const port = (v: FieldValue | undefined): number => {
  const n = num(v) & 0xffff;
  return ((n & 0xff) << 8) | (n >>> 8);
};

/** raw.windows for an ETW event: the provider, id, version and decoded fields as JSON-safe values. */
function rawOf(provider: ProviderName, r: EtwRecord, fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = { provider, eventId: r.id, version: r.version };
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'bigint') out[k] = v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : `0x${v.toString(16)}`;
    else if (v instanceof Uint8Array) out[k] = Buffer.from(v).toString('hex');
    else out[k] = v;
  }
  return out;
}

/** Maps one session's records; one instance per session (it keeps the session's tables). */
export class EtwMapper {
  private readonly processes = new BoundedMap<number, Known>(16_384);
  /** New processes whose first thread (created by the parent, not an injection) is still to come. */
  private readonly firstThread = new BoundedMap<number, true>(4096);
  private readonly fileNames = new BoundedMap<bigint, string>(65_536);
  private readonly written = new BoundedMap<bigint, true>(65_536);
  private readonly udpFlows = new BoundedMap<string, true>(16_384);
  /** Records of a provider edrkit decodes but in an id/version without a template. */
  unknownVersions = 0;

  /** The acting process of a pid: what ProcessStart said of it, else only the pid. */
  private process(pid: number, tid?: number): Process {
    const k = this.processes.get(pid);
    return { pid, ppid: k?.ppid ?? 0, exe: k?.exe ?? '', args: [], cmdline: '', ...(k?.startTime !== undefined ? { startTime: k.startTime } : {}), ...(tid !== undefined ? { tid } : {}) };
  }

  /** Map one record. Throws `EtwDecodeError` for a payload that does not fit its template. */
  map(r: EtwRecord): EventDraft[] {
    const provider = providerName(r.providerId);
    if (!provider) return [];
    const template = templateOf(provider, r.id, r.version);
    if (!template) {
      this.unknownVersions++;
      return [];
    }
    const f = decodeUserData(template, r.userData, r.pointerSize);
    const base = { time: r.time, platform: 'windows' as const, source: 'windows-etw', raw: { windows: rawOf(provider, r, f) } };
    const actor = () => this.process(r.pid, r.tid);
    switch (provider) {
      case 'Microsoft-Windows-Kernel-Process':
        return this.kernelProcess(r, f, base);
      case 'Microsoft-Windows-Kernel-File':
        return this.kernelFile(r, f, base);
      case 'Microsoft-Windows-Kernel-Network': {
        // Ids 26–34 and 58–59 are the IPv6 forms (Binary addresses); the rest IPv4.
        const v6 = (r.id >= 26 && r.id <= 34) || r.id === 58 || r.id === 59;
        const local = { ip: v6 ? ipv6(f['saddr']) : ipv4(f['saddr']), port: port(f['sport']) };
        const remote = { ip: v6 ? ipv6(f['daddr']) : ipv4(f['daddr']), port: port(f['dport']) };
        const pid = num(f['PID']);
        const family = v6 ? ('ipv6' as const) : ('ipv4' as const);
        if (r.id === 42 || r.id === 58) {
          const flow = `${pid}|${local.ip}|${local.port}|${remote.ip}|${remote.port}`;
          if (this.udpFlows.has(flow)) return [];
          this.udpFlows.set(flow, true);
          return [{ kind: 'net.connect', ...base, process: this.process(pid), net: { protocol: 'udp', family, local, remote } }];
        }
        const kind = r.id === 15 || r.id === 31 ? ('net.accept' as const) : ('net.connect' as const);
        return [{ kind, ...base, process: this.process(pid), net: { protocol: 'tcp', family, local, remote } }];
      }
      case 'Microsoft-Windows-Kernel-Registry': {
        if (num(f['Status']) !== 0) return []; // a failed operation changed nothing
        if (r.id === 1) {
          if (num(f['Disposition']) !== 1) return []; // REG_OPENED_EXISTING_KEY: nothing created
          const baseName = str(f['BaseName']);
          const rel = str(f['RelativeName']);
          return [{ kind: 'registry.create', ...base, process: actor(), registry: { key: baseName && rel ? `${baseName}\\${rel}` : baseName || rel } }];
        }
        if (r.id === 3) return [{ kind: 'registry.delete', ...base, process: actor(), registry: { key: str(f['KeyName']) } }];
        if (r.id === 6) return [{ kind: 'registry.delete', ...base, process: actor(), registry: { key: str(f['KeyName']), value: str(f['ValueName']) } }];
        const type = num(f['Type']);
        const data = f['CapturedData'] instanceof Uint8Array ? registryDataText(type, f['CapturedData'], num(f['DataSize'])) : undefined;
        return [{ kind: 'registry.set', ...base, process: actor(), registry: { key: str(f['KeyName']), value: str(f['ValueName']), dataType: REG_TYPES[type] ?? `REG_TYPE_${type}`, ...(data !== undefined ? { data } : {}) } }];
      }
      case 'Microsoft-Windows-DNS-Client': {
        if (num(f['QueryStatus']) !== 0) return [];
        const answers = str(f['QueryResults'])
          .split(';')
          .map((s) => s.replace(/^type:\s*\d+\s+/, '').trim())
          .filter(Boolean);
        return [{ kind: 'dns.query', ...base, process: actor(), dns: { query: str(f['QueryName']), type: dnsTypeName(num(f['QueryType'])), ...(answers.length ? { answers } : {}) } }];
      }
      case 'Microsoft-Windows-Kernel-Audit-API-Calls': {
        if (num(f['ReturnCode']) !== 0) return []; // refused: no access was granted
        const targetPid = num(f['TargetProcessId']);
        const target = this.processes.get(targetPid);
        const mask = num(f['DesiredAccess']);
        return [{ kind: 'process.access', ...base, process: actor(), target: { pid: targetPid, ...(target?.exe ? { exe: target.exe } : {}) }, access: { rights: accessRights(mask), mask } }];
      }
      case 'Microsoft-Windows-PowerShell': {
        const content = str(f['ScriptBlockText']);
        const truncated = content.length > 65_536;
        const path = str(f['Path']);
        return [{ kind: 'script.content', ...base, process: actor(), script: { interpreter: 'powershell', content: truncated ? content.slice(0, 65_536) : content, truncated, ...(path ? { path } : {}) } }];
      }
    }
  }

  private kernelProcess(r: EtwRecord, f: Fields, base: { time: number; platform: 'windows'; source: string; raw: { windows: Record<string, unknown> } }): EventDraft[] {
    switch (r.id) {
      case 1: {
        const pid = num(f['ProcessID']);
        const ppid = num(f['ParentProcessID']);
        const exe = str(f['ImageName']);
        const startTime = fieldTime(f['CreateTime']);
        this.processes.set(pid, { exe, ppid, ...(startTime !== undefined ? { startTime } : {}) });
        this.firstThread.set(pid, true);
        const parent = this.processes.get(ppid);
        return [
          {
            kind: 'process.exec',
            ...base,
            process: { pid, ppid, exe, args: [], cmdline: '', ...(startTime !== undefined ? { startTime } : {}), ...(parent?.exe ? { parent: { pid: ppid, exe: parent.exe, ...(parent.startTime !== undefined ? { startTime: parent.startTime } : {}) } } : {}) },
          },
        ];
      }
      case 2: {
        const pid = num(f['ProcessID']);
        const process = this.process(pid);
        if (!process.exe) process.exe = str(f['ImageName']);
        this.processes.delete(pid);
        this.firstThread.delete(pid);
        return [{ kind: 'process.exit', ...base, process, exitCode: num(f['ExitCode']) | 0 }];
      }
      case 3: {
        const target = num(f['ProcessID']);
        // A process's own threads, its first thread (made by its parent) and the kernel's are not tampering.
        if (target === r.pid || r.pid === 0 || r.pid === 4) return [];
        if (this.firstThread.delete(target)) return [];
        const exe = this.processes.get(target)?.exe;
        return [{ kind: 'process.tamper', ...base, process: this.process(r.pid, r.tid), target: { pid: target, tid: num(f['ThreadID']), ...(exe ? { exe } : {}) }, technique: 'remote-thread', startAddress: hex(f['Win32StartAddr']) }];
      }
      case 5:
        return [{ kind: 'image.load', ...base, process: this.process(num(f['ProcessID'])), image: { path: str(f['ImageName']) } }];
      default:
        return [];
    }
  }

  private kernelFile(r: EtwRecord, f: Fields, base: { time: number; platform: 'windows'; source: string; raw: { windows: Record<string, unknown> } }): EventDraft[] {
    const fileObject = typeof f['FileObject'] === 'bigint' ? f['FileObject'] : 0n;
    const tid = f['IssuingThreadId'] !== undefined ? num(f['IssuingThreadId']) : r.tid;
    const actor = this.process(r.pid, tid);
    switch (r.id) {
      case 12:
        this.fileNames.set(fileObject, str(f['FileName']));
        this.written.delete(fileObject);
        return [];
      case 30: {
        const path = str(f['FileName']);
        this.fileNames.set(fileObject, path);
        this.written.set(fileObject, true); // a new file's first writes are part of its creation
        return [{ kind: 'file.create', ...base, process: actor, file: { path } }];
      }
      case 16: {
        const path = this.fileNames.get(fileObject);
        if (path === undefined || this.written.has(fileObject)) return [];
        this.written.set(fileObject, true);
        return [{ kind: 'file.modify', ...base, process: actor, file: { path } }];
      }
      case 26:
        return [{ kind: 'file.delete', ...base, process: actor, file: { path: str(f['FilePath']) } }];
      case 27: {
        const from = this.fileNames.get(fileObject);
        const to = str(f['FilePath']);
        this.fileNames.set(fileObject, to);
        // Without the old name (the file was opened before the session started) there is no rename to report.
        return from === undefined ? [] : [{ kind: 'file.rename', ...base, process: actor, file: { path: from }, target: { path: to } }];
      }
      default:
        return [];
    }
  }
}
