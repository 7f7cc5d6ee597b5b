/**
 * The replay backend: plays an edrkit recording (JSON Lines) through a sensor, exactly
 * as a live backend would deliver it. Events keep their recorded fields (including the
 * original `source` and `platform`); the sensor assigns fresh sequence numbers. With an
 * {@link ImportFormat} it imports a foreign log (Windows event logs, eslogger output)
 * the same way.
 *
 * @module
 */
import { access, constants } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { allKinds, type Backend, type BackendProbe, type BackendStats, type BackendStartOptions, type EventSink } from '../backend.js';
import { InvalidArgumentError, type InvalidEventError } from '../errors.js';
import { OBSERVABLE_KINDS, type EventDraft, type Platform } from '../events/schema.js';
import type { ImportFormat } from './import-format.js';
import { readImport } from './read-import.js';
import { MAX_RECORDING_LINE, readRecording } from './read-recording.js';

/** Options of {@link ReplayBackend}. */
export interface ReplayOptions {
  /** Recording file to read. */
  path?: string;
  /** Or a stream (e.g. `process.stdin`). */
  input?: Readable;
  /** Name used in error messages (default: the path, or `stdin`). */
  inputName?: string;
  /**
   * Read a foreign log in this format instead of an edrkit recording (see
   * {@link ImportFormat}; `@edrkit/windows` and `@edrkit/macos` provide formats).
   */
  format?: ImportFormat;
  /**
   * A line that is not a valid event: `fail` (default) ends the stream with an
   * `ERR_INVALID_EVENT` naming the line and field; `skip` reports it as a warning and
   * a `sensor.lost` event, and goes on.
   */
  onInvalid?: 'skip' | 'fail';
  /** Replay in real time (`true`), or at N times real time (a number > 0). Default: as fast as consumers read. */
  pace?: boolean | number;
  /** Events per batch handed to the sensor (default 256). */
  batchSize?: number;
  /**
   * Longest line (or, with a `format`, record) read, in bytes (default 16 MiB). A longer
   * one, one that is not UTF-8 or one nested deeper than 64 levels is invalid, handled per
   * `onInvalid`.
   */
  maxLineBytes?: number;
}

/** Plays a recording. One instance serves one sensor. */
export class ReplayBackend implements Backend {
  readonly id = 'replay';
  readonly replaysRecordedEvents = true;
  private detectedPlatform: Platform | undefined;
  private readonly controller = new AbortController();
  private running: Promise<void> | undefined;
  private readonly counters = { received: 0, lost: 0, malformed: 0, skipped: 0, unmapped: 0 };

  constructor(private readonly options: ReplayOptions) {
    if (!options || (!options.path && !options.input)) {
      throw new InvalidArgumentError('ReplayBackend: give a recording `path` or an `input` stream');
    }
    const { pace, batchSize, onInvalid, maxLineBytes, format } = options;
    if (format !== undefined && (typeof format.createDecoder !== 'function' || (format.framing !== 'json-lines' && format.framing !== 'json-values'))) {
      throw new InvalidArgumentError(`ReplayBackend: format must be an ImportFormat (framing 'json-lines' or 'json-values', and createDecoder())`);
    }
    if (maxLineBytes !== undefined && (!Number.isInteger(maxLineBytes) || maxLineBytes < 1)) {
      throw new InvalidArgumentError(`ReplayBackend: maxLineBytes must be a positive integer, got ${maxLineBytes}`);
    }
    if (typeof pace === 'number' && !(pace > 0)) throw new InvalidArgumentError(`ReplayBackend: pace must be true or a number > 0, got ${pace}`);
    if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
      throw new InvalidArgumentError(`ReplayBackend: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (onInvalid !== undefined && onInvalid !== 'skip' && onInvalid !== 'fail') {
      throw new InvalidArgumentError(`ReplayBackend: onInvalid must be 'skip' or 'fail', got ${String(onInvalid)}`);
    }
  }

  /** The platform of the recording (from its first event; `linux` before any is read). */
  get platform(): Platform {
    return this.detectedPlatform ?? 'linux';
  }

  async probe(): Promise<BackendProbe> {
    const kinds = allKinds({ supported: true, note: 'as present in the recording' }, OBSERVABLE_KINDS);
    if (this.options.path) {
      try {
        await access(this.options.path, constants.R_OK);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return {
          id: this.id,
          available: false,
          code: 'ERR_INVALID_ARGUMENT',
          reason: `cannot read recording '${this.options.path}' (${code ?? (err as Error).message}); check the path`,
          kinds,
        };
      }
    }
    return { id: this.id, available: true, kinds, details: { input: this.inputName, ...(this.options.format ? { format: this.options.format.name } : {}) } };
  }

  async start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    if (this.running) throw new InvalidArgumentError('ReplayBackend: already started; create one backend per sensor');
    const signal = AbortSignal.any([options.signal, this.controller.signal]);
    this.running = this.play(sink, signal).catch((err) => {
      if (!signal.aborted) sink.error(err as Error);
    });
  }

  async stop(): Promise<void> {
    this.controller.abort();
    this.options.input?.destroy();
    await this.running;
  }

  stats(): BackendStats {
    return { ...this.counters };
  }

  private get inputName(): string {
    return this.options.inputName ?? this.options.path ?? 'stdin';
  }

  private async play(sink: EventSink, signal: AbortSignal): Promise<void> {
    const source = this.options.path ?? (this.options.input as Readable);
    const batchSize = this.options.batchSize ?? 256;
    const speed = this.options.pace === true ? 1 : typeof this.options.pace === 'number' ? this.options.pace : 0;
    let batch: EventDraft[] = [];
    let firstTime: number | undefined;
    const wallStart = performance.now();

    for await (const item of this.records(source, signal)) {
      this.counters.received++;
      if (!item.ok) {
        this.counters.malformed++;
        if (this.options.onInvalid !== 'skip') {
          if (batch.length) sink.push(batch);
          sink.error(item.error);
          return;
        }
        this.counters.skipped++;
        if (batch.length) sink.push(batch), (batch = []); // keep the loss marker in place
        sink.warn(item.error);
        sink.lost(1, `skipped ${item.error.message}`, 'backend');
        continue;
      }
      if (item.lost) {
        if (batch.length) sink.push(batch), (batch = []);
        this.counters.lost += item.lost.count;
        sink.lost(item.lost.count, item.lost.reason, 'backend');
      }
      if (item.events.length === 0 && !item.lost) this.counters.unmapped++;
      for (const draft of item.events) {
        this.detectedPlatform ??= draft.platform;
        if (speed > 0) {
          firstTime ??= draft.time;
          const due = (draft.time - firstTime) / speed - (performance.now() - wallStart);
          if (due > 1) {
            if (batch.length) sink.push(batch), (batch = []);
            await sleep(due, undefined, { signal });
          }
        }
        batch.push(draft);
        if (batch.length >= batchSize) {
          sink.push(batch);
          batch = [];
          await sink.ready();
          if (signal.aborted) return;
        }
      }
      // Nothing more read yet (a live pipe may pause): hand on what there is.
      if (item.waits && batch.length) {
        sink.push(batch);
        batch = [];
        await sink.ready();
        if (signal.aborted) return;
      }
    }
    if (batch.length) sink.push(batch);
    sink.end();
  }

  /** The input's records, each with its events: an edrkit recording's lines, or a foreign log's records through the format. */
  private async *records(source: string | Readable, signal: AbortSignal): AsyncGenerator<ReplayItem> {
    const { format, maxLineBytes } = this.options;
    if (format) {
      yield* readImport(source, format, { inputName: this.inputName, signal, maxRecordBytes: maxLineBytes ?? MAX_RECORDING_LINE });
      return;
    }
    for await (const line of readRecording(source, { inputName: this.inputName, signal, ...(maxLineBytes !== undefined ? { maxLineBytes } : {}) })) {
      if (!line.ok) yield { ok: false, error: line.error, waits: line.waits ?? false };
      else {
        const { seq: _seq, ...draft } = line.event;
        yield { ok: true, events: [draft as EventDraft], waits: line.waits ?? false };
      }
    }
  }
}

/** One record of the input as the play loop takes it. */
type ReplayItem =
  | { ok: true; events: EventDraft[]; lost?: { count: number; reason: string }; waits: boolean }
  | { ok: false; error: InvalidEventError; waits: boolean };
