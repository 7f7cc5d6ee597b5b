/**
 * Helpers of the live (privileged) linux-ebpf tests: privilege gate, event collection,
 * and a look at what BPF programs and maps of ours the kernel still holds.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EdrEvent, EventDraft, EventSink } from '@edrkit/core';

/** Repo root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Why live tests cannot run here, or undefined when they must. */
export function liveSkipReason(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.geteuid?.() !== 0) return 'not root: live eBPF tests need root (or CAP_BPF+CAP_PERFMON)';
  return undefined;
}

/** ids of loaded BPF programs / maps whose name starts with edrkit. */
export function edrkitBpfIds(): { progs: number[]; maps: number[] } {
  const list = (what: 'prog' | 'map') =>
    (JSON.parse(execFileSync('bpftool', ['-j', what, 'list'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { id: number; name?: string }[])
      .filter((p) => String(p.name ?? '').startsWith('edrkit'))
      .map((p) => p.id);
  return { progs: list('prog'), maps: list('map') };
}

/** Wait until `pred()` holds or `ms` pass; returns whether it held. */
export async function until(pred: () => boolean, ms: number, step = 50): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, step));
  }
  return pred();
}

/** A sink that keeps everything. */
export function collectingSink() {
  const events: EventDraft[] = [];
  const lost: { count: number; reason: string; stage?: string }[] = [];
  const errors: Error[] = [];
  const warnings: Error[] = [];
  const sink: EventSink = {
    push: (batch) => void events.push(...batch),
    lost: (count, reason, stage) => void lost.push({ count, reason, ...(stage ? { stage } : {}) }),
    error: (err) => void errors.push(err),
    warn: (err) => void warnings.push(err),
    ready: () => Promise.resolve(),
    end: () => {},
  };
  return { sink, events, lost, errors, warnings, lostTotal: () => lost.reduce((n, l) => n + l.count, 0) };
}

/** Narrow a list of events to one kind. */
export function ofKind<K extends EdrEvent['kind']>(events: readonly EdrEvent[], kind: K): Extract<EdrEvent, { kind: K }>[] {
  return events.filter((e): e is Extract<EdrEvent, { kind: K }> => e.kind === kind);
}
