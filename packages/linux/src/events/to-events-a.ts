/**
 * Part-A records (issue 14a) to event drafts: `process.access` / `process.tamper` from ptrace,
 * process_vm_readv/writev and /proc/PID/mem opens, and `bpf.load` from bpf(2). Used by
 * {@link RecordConverter}; shares its process views, so `process` and `raw` look the same.
 *
 * @module
 */
import type { AccessRight, EventDraft, ObservableKind, TamperTechnique, TargetProcess } from '@edrkit/core';
import type { AccessRecord, BpfRecord, RecordHeader } from '../decode/records.js';
import { ACCESS_OP, BPF_OP } from '../decode/layout.js';
import type { ProcessCache } from '../proc/process-cache.js';
import { attachTypeName, progTypeName } from './bpf-names.js';
import type { ProcessViews } from './process-views.js';

const PLATFORM = 'linux' as const;
const SOURCE = 'linux-ebpf' as const;
const O_ACCMODE = 3;

/** ptrace requests edrkit reports, by number: name, and what they do to the target. */
const PTRACE: ReadonlyMap<number, { name: string; right?: AccessRight; technique?: TamperTechnique }> = new Map([
  [1, { name: 'PTRACE_PEEKTEXT', right: 'ptrace-read' }],
  [2, { name: 'PTRACE_PEEKDATA', right: 'ptrace-read' }],
  [3, { name: 'PTRACE_PEEKUSER', right: 'ptrace-read' }],
  [4, { name: 'PTRACE_POKETEXT', technique: 'memory-write' }],
  [5, { name: 'PTRACE_POKEDATA', technique: 'memory-write' }],
  [6, { name: 'PTRACE_POKEUSER', technique: 'register-write' }],
  [12, { name: 'PTRACE_GETREGS', right: 'ptrace-read' }],
  [13, { name: 'PTRACE_SETREGS', technique: 'register-write' }],
  [14, { name: 'PTRACE_GETFPREGS', right: 'ptrace-read' }],
  [15, { name: 'PTRACE_SETFPREGS', technique: 'register-write' }],
  [16, { name: 'PTRACE_ATTACH', right: 'ptrace-attach' }],
  [18, { name: 'PTRACE_GETFPXREGS', right: 'ptrace-read' }],
  [19, { name: 'PTRACE_SETFPXREGS', technique: 'register-write' }],
  [0x4202, { name: 'PTRACE_GETSIGINFO', right: 'ptrace-read' }],
  [0x4203, { name: 'PTRACE_SETSIGINFO', technique: 'other' }],
  [0x4204, { name: 'PTRACE_GETREGSET', right: 'ptrace-read' }],
  [0x4205, { name: 'PTRACE_SETREGSET', technique: 'register-write' }],
  [0x4206, { name: 'PTRACE_SEIZE', right: 'ptrace-attach' }],
  [0x4209, { name: 'PTRACE_PEEKSIGINFO', right: 'ptrace-read' }],
]);

const PROC_MEM = /^\/proc\/(\d+)\/(?:task\/(\d+)\/)?mem$/;

/** Counters of the part-A conversion. */
export interface AccessStats {
  /** /proc/PID/mem opens of the caller's own memory (not another process: no event). */
  selfMemOpens: number;
}

/** Converts access and bpf records. */
export class AccessConverter {
  readonly stats: AccessStats = { selfMemOpens: 0 };

  constructor(
    private readonly cache: ProcessCache,
    private readonly views: ProcessViews,
    private readonly want: Readonly<Record<ObservableKind, boolean>>,
    private readonly toEpochMs: (bootNs: number) => number,
  ) {}

  /** The target as the process cache knows it (pid, and exe/start time when known). */
  private target(pid: number, tid?: number): TargetProcess {
    const t: TargetProcess = { pid };
    const c = pid > 0 ? this.cache.get(pid) : undefined;
    if (c?.exe) t.exe = c.exe;
    if (c?.startTime !== undefined) t.startTime = c.startTime;
    if (tid !== undefined && tid !== pid) t.tid = tid;
    return t;
  }

  private raw(h: RecordHeader, extra: Record<string, unknown>): { linux: Record<string, unknown> } {
    return { linux: { cgroupId: h.cgroupId, comm: h.comm, ...extra } };
  }

  access(rec: AccessRecord, out: EventDraft[]): void {
    const h = rec.h;
    let right: AccessRight | undefined;
    let technique: TamperTechnique | undefined;
    let target: TargetProcess;
    let extra: Record<string, unknown>;
    const address = rec.addr ? `0x${rec.addr.toString(16)}` : undefined;
    switch (rec.op) {
      case ACCESS_OP.PTRACE: {
        const r = PTRACE.get(rec.request);
        if (!r) return;
        right = r.right;
        technique = r.technique;
        target = this.target(rec.target);
        extra = { syscall: 'ptrace', request: r.name, ...(address ? { address } : {}) };
        break;
      }
      case ACCESS_OP.VM_READ:
      case ACCESS_OP.VM_WRITE:
        if (rec.op === ACCESS_OP.VM_READ) right = 'memory-read';
        else technique = 'memory-write';
        target = this.target(rec.target);
        extra = { syscall: rec.op === ACCESS_OP.VM_READ ? 'process_vm_readv' : 'process_vm_writev', bytes: rec.ret, ...(address ? { address } : {}) };
        break;
      case ACCESS_OP.PROC_MEM: {
        const m = PROC_MEM.exec(rec.path.path);
        if (!m) return; // a procfs file named mem elsewhere (there is none today): nothing to report
        const pid = Number(m[1]);
        if (pid === h.pid) {
          this.stats.selfMemOpens++;
          return;
        }
        if ((rec.request & O_ACCMODE) === 0) right = 'memory-read';
        else technique = 'memory-write';
        target = this.target(pid, m[2] !== undefined ? Number(m[2]) : undefined);
        extra = { syscall: 'open', path: rec.path.path };
        break;
      }
      default:
        return;
    }
    const time = this.toEpochMs(h.tsNs);
    const process = this.views.process(h);
    if (right && this.want['process.access']) {
      out.push({ kind: 'process.access', time, platform: PLATFORM, source: SOURCE, process, raw: this.raw(h, extra), target, access: { rights: [right] } });
    } else if (technique && this.want['process.tamper']) {
      out.push({ kind: 'process.tamper', time, platform: PLATFORM, source: SOURCE, process, raw: this.raw(h, extra), target, technique });
    }
  }

  bpf(rec: BpfRecord, out: EventDraft[]): void {
    if (!this.want['bpf.load']) return;
    const h = rec.h;
    const load = rec.op === BPF_OP.PROG_LOAD;
    const bpf: Extract<EventDraft, { kind: 'bpf.load' }>['bpf'] = { progType: progTypeName(rec.progType), operation: load ? 'load' : 'attach' };
    if (rec.name) bpf.name = rec.name;
    // PROG_ATTACH and LINK_CREATE name the attach type; elsewhere it is the program's expected
    // one, where 0 also means "unset": only a non-zero one says something.
    if (rec.op === BPF_OP.PROG_ATTACH || rec.op === BPF_OP.LINK_CREATE || rec.attachType !== 0) bpf.attachType = attachTypeName(rec.attachType);
    if (rec.progId) bpf.id = rec.progId;
    if (rec.tag) bpf.tag = rec.tag;
    if (rec.insnCnt) bpf.instructions = rec.insnCnt;
    if (rec.target) bpf.attachTarget = rec.target;
    const command = load ? 'BPF_PROG_LOAD' : rec.op === BPF_OP.PROG_ATTACH ? 'BPF_PROG_ATTACH' : rec.op === BPF_OP.RAW_TP_OPEN ? 'BPF_RAW_TRACEPOINT_OPEN' : 'BPF_LINK_CREATE';
    out.push({ kind: 'bpf.load', time: this.toEpochMs(h.tsNs), platform: PLATFORM, source: SOURCE, process: this.views.process(h), raw: this.raw(h, { command, fd: rec.ret }), bpf });
  }
}
