/**
 * Writing edrkit recordings (JSON Lines), with back-pressure.
 *
 * @module
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { EdrEvent } from '../events/schema.js';

/** Writes events as JSON Lines to a file or stream. */
export class RecordingWriter {
  private readonly out: Writable;
  private readonly owned: boolean;
  /** Events written so far. */
  written = 0;

  /** `target` is a path (created or truncated) or a writable stream (left open on close). */
  constructor(target: string | Writable) {
    this.owned = typeof target === 'string';
    this.out = typeof target === 'string' ? createWriteStream(target, { encoding: 'utf8' }) : target;
  }

  /** Write one event; resolves when the stream can take more (back-pressure). */
  async write(event: EdrEvent): Promise<void> {
    this.written++;
    if (!this.out.write(`${JSON.stringify(event)}\n`)) await once(this.out, 'drain');
  }

  /** Flush and close (a stream passed in is ended only if it is a file this writer opened). */
  async close(): Promise<void> {
    if (!this.owned) return;
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
