/**
 * Terminal noise control for the pretty format: one `curl` maps ~30 shared libraries, so a
 * process's `image.load` events are shown up to a few per process image, and the rest are
 * counted and summed up in one line when that process execs, exits, or the stream ends.
 * Nothing is dropped silently: every suppressed event is in a summary line.
 *
 * @module
 */
import { baseName, type EdrEvent } from '@edrkit/core';
import pc from 'picocolors';
import { formatPretty, safe } from './pretty.js';

/** Options of {@link PrettyGrouper}. */
export interface PrettyGrouperOptions {
  /** `image.load` lines shown per process image before the rest are counted (default 3). */
  showPerProcess?: number;
  /** Processes tracked at once; the oldest is summed up early beyond this (default 4096). */
  maxProcesses?: number;
}

interface Pending {
  shown: number;
  hidden: number;
  exe: string;
}

/** Formats events as pretty lines, grouping repeated `image.load` per process. */
export class PrettyGrouper {
  private readonly show: number;
  private readonly max: number;
  // Insertion order is eviction order (a Map keeps it), so memory stays bounded.
  private readonly byPid = new Map<number, Pending>();
  /** `image.load` events summarised instead of printed so far. */
  hidden = 0;

  constructor(options: PrettyGrouperOptions = {}) {
    this.show = options.showPerProcess ?? 3;
    this.max = options.maxProcesses ?? 4096;
  }

  /** The lines to print for `event` (zero, one, or a summary then the event). */
  add(event: EdrEvent): string[] {
    if (event.kind === 'sensor.lost') return [formatPretty(event)];
    const pid = event.process.pid;
    if (event.kind !== 'image.load') {
      // A new image or the end of the process closes its group; the summary goes first.
      if (event.kind === 'process.exec' || event.kind === 'process.exit') return [...this.summary(pid), formatPretty(event)];
      return [formatPretty(event)];
    }
    let p = this.byPid.get(pid);
    if (!p) {
      p = { shown: 0, hidden: 0, exe: baseName(event.process.exe, event.platform) };
      const out = this.byPid.size >= this.max ? this.summary(this.byPid.keys().next().value as number) : [];
      this.byPid.set(pid, p);
      if (out.length) return [...out, ...this.add(event)];
    }
    if (p.shown < this.show) {
      p.shown++;
      return [formatPretty(event)];
    }
    p.hidden++;
    this.hidden++;
    return [];
  }

  /** Summary lines of every open group (call at the end of the stream). */
  flush(): string[] {
    return [...this.byPid.keys()].flatMap((pid) => this.summary(pid));
  }

  private summary(pid: number): string[] {
    const p = this.byPid.get(pid);
    if (!p) return [];
    this.byPid.delete(pid);
    if (!p.hidden) return [];
    const name = safe(p.exe || '?');
    return [pc.dim(`… ${p.hidden} more image.load by ${name} (pid ${pid}) not shown; --show-image-loads prints each`)];
  }
}
