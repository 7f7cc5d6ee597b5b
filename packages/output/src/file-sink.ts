/**
 * A JSON Lines file sink with rotation by size and by age. The live file keeps its name;
 * a rotated file is renamed beside it to `PATH.<UTC time>` (e.g.
 * `events.jsonl.20261203T130501.123Z`, a counter added if that exists), so a shipper that
 * tails PATH and an archive job that picks up `PATH.*` both work.
 *
 * @module
 */
import { open, rename, stat, type FileHandle } from 'node:fs/promises';
import { InvalidArgumentError, type EdrEvent } from '@edrkit/core';
import type { ExportOptions } from '@edrkit/export';
import { encodeEvent, type SinkFormat } from './encode.js';
import { OutputIoError } from './errors.js';
import type { Sink, SinkStats } from './sink.js';

/** Options of {@link FileSink}. */
export interface FileSinkOptions {
  /** The live file; appended to if it exists. */
  path: string;
  /** Wire format (default `json`, edrkit JSON Lines). */
  format?: SinkFormat;
  /** Passed to the OCSF/ECS converters (e.g. `hostname`). */
  exportOptions?: ExportOptions;
  /** Rotate once the live file holds at least this many bytes (default: never by size). */
  maxBytes?: number;
  /** Rotate once the live file is this old, in ms (checked on every write and flush; default: never). */
  maxAgeMs?: number;
  /** `fdatasync` after every batch (default false: the OS writes back; a process crash loses nothing, a power cut may). */
  fsync?: boolean;
}

/** Writes events as JSON Lines to a file, rotating by size and age. */
export class FileSink implements Sink {
  readonly kind = 'file';
  private handle: FileHandle | undefined;
  private bytes = 0;
  private openedAt = 0;
  private closed = false;
  private chain: Promise<void> = Promise.resolve();
  private readonly counters = { written: 0, delivered: 0, pending: 0, lost: 0, bytes: 0, rotations: 0 };

  private constructor(private readonly options: FileSinkOptions) {}

  /** Open (or create) the live file. */
  static async open(options: FileSinkOptions): Promise<FileSink> {
    for (const key of ['maxBytes', 'maxAgeMs'] as const) {
      const v = options[key];
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) throw new InvalidArgumentError(`FileSink: ${key} must be a positive number, got ${v}`);
    }
    const sink = new FileSink(options);
    await sink.openLive();
    return sink;
  }

  write(events: readonly EdrEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new OutputIoError(`file sink ${this.options.path}: write after close`));
    const format = this.options.format ?? 'json';
    const text = events.map((e) => `${encodeEvent(e, format, this.options.exportOptions)}\n`).join('');
    this.counters.written += events.length;
    return this.serial(async () => {
      await this.rotateIfDue();
      const buf = Buffer.from(text, 'utf8');
      try {
        await this.handle!.write(buf);
        if (this.options.fsync) await this.handle!.datasync();
      } catch (err) {
        throw new OutputIoError(`file sink ${this.options.path}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
      }
      this.bytes += buf.length;
      this.counters.bytes += buf.length;
      this.counters.delivered += events.length;
      if (this.options.maxBytes !== undefined && this.bytes >= this.options.maxBytes) await this.rotate();
    });
  }

  flush(): Promise<void> {
    return this.serial(async () => {
      await this.rotateIfDue();
      await this.handle?.datasync();
    });
  }

  close(): Promise<void> {
    if (this.closed) return this.chain;
    this.closed = true;
    return this.serial(async () => {
      await this.handle?.close();
      this.handle = undefined;
    });
  }

  stats(): SinkStats {
    return { ...this.counters };
  }

  private serial(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async openLive(): Promise<void> {
    const { path } = this.options;
    try {
      this.handle = await open(path, 'a');
      const s = await this.handle.stat();
      this.bytes = s.size;
      // An existing file's age counts from its creation (birthtime where the filesystem keeps it).
      this.openedAt = s.size > 0 && s.birthtimeMs > 0 ? s.birthtimeMs : Date.now();
    } catch (err) {
      throw new OutputIoError(`file sink ${path}: cannot open (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
    }
  }

  private async rotateIfDue(): Promise<void> {
    const { maxAgeMs } = this.options;
    if (maxAgeMs !== undefined && this.bytes > 0 && Date.now() - this.openedAt >= maxAgeMs) await this.rotate();
  }

  private async rotate(): Promise<void> {
    const { path } = this.options;
    await this.handle?.close();
    this.handle = undefined;
    const stamp = new Date().toISOString().replace(/[-:]/g, '');
    let target = `${path}.${stamp}`;
    for (let n = 1; await exists(target); n++) target = `${path}.${stamp}.${n}`;
    try {
      await rename(path, target);
    } catch (err) {
      throw new OutputIoError(`file sink ${path}: cannot rotate to ${target} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
    }
    this.counters.rotations++;
    await this.openLive();
    this.bytes = 0;
    this.openedAt = Date.now();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
