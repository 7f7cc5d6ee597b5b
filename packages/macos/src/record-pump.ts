/**
 * Reading eslogger-schema records (eslogger's stdout, the addon's batches) into a sink, shared
 * by both macOS backends: core's import reader frames and bounds the lines, checks UTF-8 and
 * validates every event; this loop batches, reports Endpoint Security's own drops (sequence
 * gaps) as `kernel` loss and unreadable lines as `backend` loss, and optionally waits for the
 * sensor between batches.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { readImport, type EventDraft, type EventSink, type ImportFormat } from '@edrkit/core';
import type { EsMessageDecoder } from './eslogger/decoder.js';

/** Counters the pump keeps (the backend's stats). */
export interface PumpCounters {
  received: number;
  lost: number;
  malformed: number;
  unmapped: number;
  esDropped: number;
}

/** Options of {@link pumpRecords}. */
export interface PumpOptions {
  /** Name of the input in messages (`eslogger`, `macos-es addon`). */
  inputName: string;
  batchSize: number;
  maxLineBytes: number;
  signal: AbortSignal;
  /** Wait for `sink.ready()` between batches (eslogger: a paused reader pauses eslogger). */
  pace: boolean;
  /** Stop as soon as this says so. */
  stopping(): boolean;
}

/** Read `input` to its end into `sink`. */
export async function pumpRecords(input: Readable, decoder: EsMessageDecoder, sink: EventSink, counters: PumpCounters, o: PumpOptions): Promise<void> {
  const format: ImportFormat = { name: 'eslogger', description: 'Endpoint Security records', framing: 'json-lines', createDecoder: () => decoder };
  let batch: EventDraft[] = [];
  const hand = () => {
    if (batch.length) sink.push(batch), (batch = []);
  };
  for await (const r of readImport(input, format, { inputName: o.inputName, signal: o.signal, maxRecordBytes: o.maxLineBytes })) {
    counters.received++;
    if (!r.ok) {
      // A line edrkit cannot read: one event lost, said so, and on.
      counters.malformed++;
      counters.lost++;
      hand();
      sink.warn(r.error);
      sink.lost(1, `skipped ${r.error.message}`, 'backend');
      continue;
    }
    if (r.lost) {
      hand();
      sink.lost(r.lost.count, r.lost.reason, 'kernel');
      counters.lost += r.lost.count;
      counters.esDropped += r.lost.count;
    }
    if (r.events.length === 0) counters.unmapped++;
    else batch.push(...r.events);
    if (batch.length >= o.batchSize || r.waits) {
      hand();
      if (o.pace) await sink.ready();
    }
    if (o.stopping()) return;
  }
  hand();
}
