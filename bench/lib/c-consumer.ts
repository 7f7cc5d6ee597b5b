/**
 * Runs native/bench/c-consumer.c (bench/.build/edrkit-c-consumer) with the native options a
 * library sensor was opened with: same object, kinds, filter maps, ring, program groups.
 */
import { spawn } from 'node:child_process';
import type { NativeOpenOptions } from '../../packages/linux/src/native/addon-api.js';
import { exited, Lines, track } from './procs.js';
// The C consumer loads the object from disk (the addon embeds its own copy of the same build).
import { DEFAULT_BPF_OBJECT } from '@edrkit/linux/internal';

/** The C consumer's final counts. */
export interface CConsumed {
  typed: number;
  total: number;
  drops: number;
  coalesced: number;
  lastNs: bigint;
  /** CPU the consumer used, µs (including load and attach). */
  cpuUs: number;
}

/** A started C consumer: `ready()` once attached, `done()` with its counts. */
export class CConsumer {
  private readonly lines: Lines;
  private readonly child;

  constructor(bin: string, native: Omit<NativeOpenOptions, 'onBatch'>, opts: { pids: number[]; expect: number; recordType?: number; idleMs?: number }) {
    const args = [native.objectPath ?? DEFAULT_BPF_OBJECT, '--kinds', String(native.kinds), '--filter-flags', String(native.filterFlags), '--ring', String(native.ringBytes)];
    for (const p of opts.pids) args.push('--pid', String(p));
    for (const n of native.names ?? []) args.push('--name', n);
    for (const d of native.disable) args.push('--disable', d);
    args.push('--expect', String(opts.expect), '--type', String(opts.recordType ?? 0), '--idle-ms', String(opts.idleMs ?? 3000));
    this.child = track(spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] }));
    this.lines = new Lines(this.child, 'edrkit-c-consumer');
  }

  async ready(): Promise<void> {
    await this.lines.next('ready', 60_000);
  }

  async done(): Promise<CConsumed> {
    const [, typed, total, drops, coalesced, last, cpu] = (await this.lines.next('done ')).split(' ');
    await exited(this.child);
    return { typed: Number(typed), total: Number(total), drops: Number(drops), coalesced: Number(coalesced), lastNs: BigInt(last!), cpuUs: Number(cpu) };
  }
}
