/**
 * The on-disk spool of the JetStream sink: a bounded, append-only log of encoded events
 * (segment files) plus a committed offset (the last sequence JetStream acknowledged).
 *
 * Layout of the spool directory:
 * - `<first seq, 16 digits>.seg`: records `SEQ \t SUBJECT \t PAYLOAD \n`, sequences contiguous
 *   across segments (a payload is JSON, which never holds a raw tab or newline);
 * - `committed`: `{"seq":N}`, replaced atomically (write + rename) after each acknowledged window.
 *
 * Every record gets the next spool sequence, which survives restarts (it is the "sensor
 * sequence" of message ids). When appending would pass `maxBytes`, whole oldest segments
 * are deleted; the records in them that were not yet taken by the sender are counted as lost
 * and, since sequences are contiguous, show up to the reader as a gap of exactly that size.
 * Everything runs on one promise chain, so appends, reads, trims and commits never interleave.
 *
 * @module
 */
import { mkdir, open, readdir, readFile, rename, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError } from '@edrkit/core';
import { OutputIoError } from './errors.js';

/** One record of the spool. */
export interface SpoolRecord {
  seq: number;
  subject: string;
  payload: string;
}

/** What {@link Spool.take} returns: records in order, after a gap of lost records if any. */
export interface SpoolTake {
  /** Records lost (trimmed while the spool was full) just before `records[0]`. */
  gap?: { from: number; count: number };
  records: SpoolRecord[];
}

/**
 * When the spool calls `fdatasync`: `batch` (default) after every appended batch and every
 * commit, so an acknowledged-by-the-spool batch survives a power cut; `os` leaves write-back
 * to the kernel (survives a process crash or kill, not a kernel crash or power cut).
 */
export type SpoolFsync = 'batch' | 'os';

/** Options of {@link Spool.open}. */
export interface SpoolOptions {
  dir: string;
  /** Largest size on disk, in bytes (default 256 MiB); the newest batch may pass it until the next append. */
  maxBytes?: number;
  /** Segment size (default maxBytes/16, at least 4 KiB): the unit in which the oldest records are dropped. */
  segmentBytes?: number;
  fsync?: SpoolFsync;
}

interface Segment {
  first: number;
  /** Records in the segment. */
  count: number;
  bytes: number;
}

const SEG = /^(\d{16})\.seg$/;
const segName = (first: number) => `${String(first).padStart(16, '0')}.seg`;

/** A bounded on-disk log with a committed offset. One process at a time per directory. */
export class Spool {
  private chain: Promise<unknown> = Promise.resolve();
  private writer: FileHandle | undefined;
  private readonly segments: Segment[] = [];
  private nextSeq = 1;
  private committedSeq = 0;
  /** Next sequence the sender has not taken yet. */
  private readSeq = 1;
  /** Read position: byte offset of `readSeq` in its segment, when known. */
  private cursor: { first: number; offset: number } | undefined;
  private waiters: Array<() => void> = [];
  /** Records trimmed before being taken (this process), and trimmed before the restart. */
  lost = 0;

  private constructor(private readonly options: Required<SpoolOptions>) {}

  /** Open (or create) a spool and find where it stopped. A torn last record (a crash mid-write) is cut off. */
  static async open(options: SpoolOptions): Promise<Spool> {
    const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    if (!(Number.isInteger(maxBytes) && maxBytes >= 4096)) throw new InvalidArgumentError(`spool: maxBytes must be an integer ≥ 4096, got ${maxBytes}`);
    const segmentBytes = options.segmentBytes ?? Math.max(4096, Math.floor(maxBytes / 16));
    if (options.fsync !== undefined && options.fsync !== 'batch' && options.fsync !== 'os') {
      throw new InvalidArgumentError(`spool: fsync must be 'batch' or 'os', got ${String(options.fsync)}`);
    }
    const spool = new Spool({ dir: options.dir, maxBytes, segmentBytes, fsync: options.fsync ?? 'batch' });
    await io(`spool ${options.dir}: cannot open`, () => spool.load());
    return spool;
  }

  /** Sequences in the spool not yet committed (including records not yet taken). */
  get pending(): number {
    return this.nextSeq - 1 - this.committedSeq;
  }

  /** Bytes on disk in segments. */
  get bytes(): number {
    return this.segments.reduce((n, s) => n + s.bytes, 0);
  }

  /** The last committed (acknowledged) sequence. */
  get committed(): number {
    return this.committedSeq;
  }

  /** Append records in order; returns their sequences. Trims the oldest segments first when full. */
  append(records: ReadonlyArray<{ subject: string; payload: string }>): Promise<number[]> {
    return this.serial(async () => {
      if (records.length === 0) return [];
      const seqs: number[] = [];
      let text = '';
      for (const r of records) {
        seqs.push(this.nextSeq);
        text += `${this.nextSeq++}\t${r.subject}\t${r.payload}\n`;
      }
      const buf = Buffer.from(text, 'utf8');
      await io(`spool ${this.options.dir}: cannot append`, async () => {
        await this.trimFor(buf.length);
        let seg = this.segments.at(-1);
        if (!seg || !this.writer || seg.bytes >= this.options.segmentBytes) seg = await this.roll(seqs[0]!);
        await this.writer!.write(buf);
        if (this.options.fsync === 'batch') await this.writer!.datasync();
        seg.bytes += buf.length;
        seg.count += records.length;
      });
      for (const w of this.waiters.splice(0)) w();
      return seqs;
    });
  }

  /** Resolves when records past the read position exist (or at once if they do), or on abort. */
  async waitForData(signal: AbortSignal): Promise<void> {
    if (this.readSeq < this.nextSeq || signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        signal.removeEventListener('abort', done);
        resolve();
      };
      this.waiters.push(done);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Take up to `max` records from the read position (they are then the sender's to deliver). */
  take(max: number): Promise<SpoolTake> {
    return this.serial(async () => {
      const out: SpoolTake = { records: [] };
      const oldest = this.segments[0];
      if (!oldest) return out;
      if (this.readSeq < oldest.first) {
        out.gap = { from: this.readSeq, count: oldest.first - this.readSeq };
        this.readSeq = oldest.first;
        this.cursor = undefined;
      }
      while (out.records.length < max && this.readSeq < this.nextSeq) {
        const seg = this.segmentOf(this.readSeq);
        if (!seg) break;
        const got = await io(`spool ${this.options.dir}: cannot read`, () => this.readFrom(seg, max - out.records.length));
        if (got.length === 0) break;
        out.records.push(...got);
      }
      return out;
    });
  }

  /** Record that everything up to `seq` is acknowledged; deletes segments wholly below it. */
  commit(seq: number): Promise<void> {
    return this.serial(async () => {
      if (seq <= this.committedSeq) return;
      this.committedSeq = seq;
      await io(`spool ${this.options.dir}: cannot commit`, async () => {
        const tmp = join(this.options.dir, 'committed.tmp');
        const fh = await open(tmp, 'w');
        try {
          await fh.write(JSON.stringify({ seq }));
          if (this.options.fsync === 'batch') await fh.datasync();
        } finally {
          await fh.close();
        }
        await rename(tmp, join(this.options.dir, 'committed'));
        // Keep the segment being written; drop those whose last record is committed.
        while (this.segments.length > 1 && this.segments[0]!.first + this.segments[0]!.count - 1 <= seq) {
          await rm(join(this.options.dir, segName(this.segments.shift()!.first)), { force: true });
        }
      });
    });
  }

  /** Close the segment being written. Nothing is lost: uncommitted records are read again on the next open. */
  close(): Promise<void> {
    return this.serial(async () => {
      await this.writer?.close();
      this.writer = undefined;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private segmentOf(seq: number): Segment | undefined {
    return this.segments.find((s) => seq >= s.first && seq < s.first + s.count);
  }

  private async load(): Promise<void> {
    const { dir } = this.options;
    await mkdir(dir, { recursive: true });
    try {
      const c = JSON.parse(await readFile(join(dir, 'committed'), 'utf8')) as { seq?: unknown };
      if (Number.isSafeInteger(c.seq) && (c.seq as number) >= 0) this.committedSeq = c.seq as number;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputIoError(`spool ${dir}: committed offset unreadable (${(err as Error).message}); remove ${join(dir, 'committed')} to resend the whole spool`);
    }
    const firsts = (await readdir(dir)).flatMap((n) => (SEG.test(n) ? [Number(SEG.exec(n)![1])] : [])).sort((a, b) => a - b);
    for (let i = 0; i < firsts.length; i++) {
      const first = firsts[i]!;
      const path = join(dir, segName(first));
      const next = firsts[i + 1];
      if (next !== undefined) {
        this.segments.push({ first, count: next - first, bytes: (await stat(path)).size });
        continue;
      }
      // The last segment: count its whole records and cut a torn tail.
      const buf = await readFile(path);
      let end = buf.lastIndexOf(10) + 1;
      let count = 0;
      for (let p = 0; p < end; p = buf.indexOf(10, p) + 1) count++;
      if (end < buf.length) await truncate(path, end);
      if (count === 0) {
        await rm(path, { force: true });
        end = 0;
      } else this.segments.push({ first, count, bytes: end });
    }
    const last = this.segments.at(-1);
    this.nextSeq = Math.max(last ? last.first + last.count : 1, this.committedSeq + 1);
    this.readSeq = this.committedSeq + 1;
    const oldest = this.segments[0];
    // Records trimmed before a restart and never delivered: still a loss, reported as a gap.
    if (oldest && this.readSeq < oldest.first) this.lost += oldest.first - this.readSeq;
    if (last) this.writer = await open(join(dir, segName(last.first)), 'a');
  }

  private async roll(first: number): Promise<Segment> {
    await this.writer?.close();
    this.writer = await open(join(this.options.dir, segName(first)), 'a');
    const seg = { first, count: 0, bytes: 0 };
    this.segments.push(seg);
    return seg;
  }

  /** Make room for `incoming` bytes: delete oldest segments (never the one being written). */
  private async trimFor(incoming: number): Promise<void> {
    let total = this.bytes;
    while (total + incoming > this.options.maxBytes && this.segments.length > 1) {
      const seg = this.segments.shift()!;
      total -= seg.bytes;
      const end = seg.first + seg.count;
      if (end > this.readSeq) this.lost += end - Math.max(seg.first, this.readSeq);
      if (this.cursor?.first === seg.first) this.cursor = undefined;
      await rm(join(this.options.dir, segName(seg.first)), { force: true });
    }
  }

  /** Read up to `max` records of `seg` from `readSeq` on, advancing the cursor (byte offset of the next unread line). */
  private async readFrom(seg: Segment, max: number): Promise<SpoolRecord[]> {
    if (this.cursor?.first !== seg.first) this.cursor = { first: seg.first, offset: 0 };
    const cursor = this.cursor;
    const fh = await open(join(this.options.dir, segName(seg.first)), 'r');
    const out: SpoolRecord[] = [];
    try {
      let size = 256 * 1024;
      while (out.length < max && cursor.offset < seg.bytes) {
        const buf = Buffer.allocUnsafe(Math.min(size, seg.bytes - cursor.offset));
        const { bytesRead } = await fh.read(buf, 0, buf.length, cursor.offset);
        let p = 0;
        for (let nl = buf.indexOf(10, p); nl >= 0 && nl < bytesRead && out.length < max; nl = buf.indexOf(10, p)) {
          const line = buf.toString('utf8', p, nl);
          const at = cursor.offset + p;
          p = nl + 1;
          const t1 = line.indexOf('\t');
          const t2 = line.indexOf('\t', t1 + 1);
          const seq = Number(line.slice(0, t1));
          if (t1 <= 0 || t2 < 0 || !Number.isSafeInteger(seq)) throw new OutputIoError(`spool ${this.options.dir}: ${segName(seg.first)} holds a malformed record at byte ${at}`);
          if (seq < this.readSeq) continue; // before the read position (after a cursor reset)
          out.push({ seq, subject: line.slice(t1 + 1, t2), payload: line.slice(t2 + 1) });
          this.readSeq = seq + 1;
        }
        if (p === 0) {
          if (bytesRead < buf.length || size >= seg.bytes) break; // no whole line (cannot happen: appends end with a newline)
          size *= 4; // one record longer than the buffer
          continue;
        }
        cursor.offset += p;
      }
    } finally {
      await fh.close();
    }
    return out;
  }
}

async function io<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof OutputIoError || err instanceof InvalidArgumentError) throw err;
    throw new OutputIoError(`${what} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
}
