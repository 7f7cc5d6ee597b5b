/**
 * Hashes and file facts (size, first bytes, entropy) of files named by events. Platform-
 * neutral: Node's fs streams read on libuv's thread pool and node:crypto hashes each chunk
 * as it arrives, so no file is read in one blocking call. Bounded: bytes read per file,
 * files per second, and an LRU cache keyed by file identity (device, inode, size, mtime)
 * so a file is read once however many events name it.
 *
 * @module
 */
import { createHash, type Hash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { InvalidArgumentError } from '../errors.js';

/** Hash algorithms the stage can compute. */
export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';
/** Every supported algorithm. */
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['md5', 'sha1', 'sha256'];

/** Options of the hashing enrichment stage (`openSensor({ hashes })`). */
export interface HashOptions {
  /** Which hashes to compute (default `['sha256']`). */
  algorithms?: readonly HashAlgorithm[];
  /** Bytes read per file at most (default 64 MiB); a longer file gets `partial: true`. */
  maxBytes?: number;
  /** Files read per second at most (default 100); beyond it events get `error: 'rate limited…'`. */
  maxFilesPerSecond?: number;
  /** How long an event may wait for its hash, ms (default 2000); then it goes out with `pending: true`. */
  timeoutMs?: number;
  /** Also add `size`, `header` and `entropy` to files written (default true). */
  facts?: boolean;
  /** First bytes kept as `header` (default 16, at most 64). */
  headerBytes?: number;
  /** Files remembered by identity (default 4096). */
  cacheSize?: number;
}

/** What the stage learned about one file. */
export interface FileFacts {
  hashes: Partial<Record<HashAlgorithm, string>> & { partial?: true; error?: string };
  size?: number;
  header?: string;
  entropy?: number;
}

/** Counters of the stage, merged into the backend's stats. */
export interface HasherStats {
  /** Files read and hashed. */
  hashFiles: number;
  /** Lookups answered from the cache. */
  hashCacheHits: number;
  /** Bytes read for hashing. */
  hashBytes: number;
  /** Files refused by the per-second bound. */
  hashRateLimited: number;
  /** Files that could not be read (missing, not a regular file, no permission). */
  hashErrors: number;
}

/** {@link HashOptions} with every default filled in. */
export type ResolvedHashOptions = Required<Omit<HashOptions, 'algorithms'>> & { algorithms: readonly HashAlgorithm[] };

function positiveInt(name: string, value: number | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(`hashes.${name} must be an integer from 1 to ${max}, got ${String(value)}`);
  }
  return value;
}

/** Validate options, naming the bad one. */
export function resolveHashOptions(options: HashOptions): ResolvedHashOptions {
  if (!options || typeof options !== 'object') throw new InvalidArgumentError('hashes must be an options object');
  const algorithms = options.algorithms ?? ['sha256'];
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((a) => !HASH_ALGORITHMS.includes(a))) {
    throw new InvalidArgumentError(`hashes.algorithms must be a non-empty list of ${HASH_ALGORITHMS.join(', ')}, got ${JSON.stringify(algorithms)}`);
  }
  const timeoutMs = options.timeoutMs ?? 2000;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new InvalidArgumentError(`hashes.timeoutMs must be a number ≥ 0, got ${String(timeoutMs)}`);
  return {
    algorithms: [...new Set(algorithms)],
    maxBytes: positiveInt('maxBytes', options.maxBytes, 64 * 1024 * 1024),
    maxFilesPerSecond: positiveInt('maxFilesPerSecond', options.maxFilesPerSecond, 100),
    timeoutMs,
    facts: options.facts ?? true,
    headerBytes: positiveInt('headerBytes', options.headerBytes, 16, 64),
    cacheSize: positiveInt('cacheSize', options.cacheSize, 4096),
  };
}

/** Shannon entropy in bits per byte of a byte histogram. */
export function entropyOf(counts: Uint32Array | readonly number[], total: number): number {
  if (total === 0) return 0;
  let h = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] ?? 0;
    if (c === 0) continue;
    const p = c / total;
    h -= p * Math.log2(p);
  }
  // Rounded: 4 digits say all there is to say, and keep records stable across runs.
  return Math.min(8, Math.round(h * 10_000) / 10_000);
}

const identity = (s: Stats) => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}`;

/** Computes (and caches) hashes and facts of files by path. One per sensor. */
export class FileHasher {
  readonly options: ResolvedHashOptions;
  private readonly cache = new Map<string, Promise<FileFacts>>();
  private windowStart = 0;
  private inWindow = 0;
  private readonly counters: HasherStats = { hashFiles: 0, hashCacheHits: 0, hashBytes: 0, hashRateLimited: 0, hashErrors: 0 };

  constructor(options: HashOptions = {}) {
    this.options = resolveHashOptions(options);
  }

  /** Current counters. */
  stats(): HasherStats {
    return { ...this.counters };
  }

  /**
   * Hashes and facts of the file at `path` now. Never rejects: a file that cannot be read
   * gives `hashes.error` naming why.
   */
  async facts(path: string): Promise<FileFacts> {
    // One stat answers the common case (a binary that ran before) without opening the file.
    let st: Stats;
    try {
      st = await stat(path);
    } catch (err) {
      this.counters.hashErrors++;
      return { hashes: { error: `cannot open: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` } };
    }
    if (!st.isFile()) {
      this.counters.hashErrors++;
      return { hashes: { error: 'not a regular file' } };
    }
    const known = this.lookup(identity(st));
    if (known) return known;
    let fd: FileHandle | undefined;
    try {
      // O_NONBLOCK: if the path was swapped for a FIFO since the stat, opening must not wait for a writer.
      fd = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      // What is read is what was opened: its identity, not the path's earlier one, is the cache key.
      const opened = await fd.stat();
      if (!opened.isFile()) {
        this.counters.hashErrors++;
        return { hashes: { error: 'not a regular file' } };
      }
      const key = identity(opened);
      const raced = this.lookup(key);
      if (raced) return raced;
      if (!this.admit()) {
        this.counters.hashRateLimited++;
        return { hashes: { error: `rate limited (more than ${this.options.maxFilesPerSecond} files per second)` } };
      }
      const reading = this.read(fd, opened.size);
      fd = undefined; // read() owns and closes it
      this.remember(key, reading);
      return await reading;
    } catch (err) {
      this.counters.hashErrors++;
      return { hashes: { error: `cannot open: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` } };
    } finally {
      await fd?.close().catch(() => {});
    }
  }

  private lookup(key: string): Promise<FileFacts> | undefined {
    const known = this.cache.get(key);
    if (!known) return undefined;
    this.counters.hashCacheHits++;
    // Refresh the LRU position.
    this.cache.delete(key);
    this.cache.set(key, known);
    return known;
  }

  private admit(): boolean {
    const now = performance.now();
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.options.maxFilesPerSecond) return false;
    this.inWindow++;
    return true;
  }

  private remember(key: string, facts: Promise<FileFacts>): void {
    this.cache.set(key, facts);
    while (this.cache.size > this.options.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    // A failed read is not worth remembering: the next event may succeed.
    void facts.then((f) => f.hashes.error !== undefined && this.cache.get(key) === facts && this.cache.delete(key));
  }

  private async read(fd: FileHandle, size: number): Promise<FileFacts> {
    const { algorithms, maxBytes, facts, headerBytes } = this.options;
    const hashes: Hash[] = algorithms.map((a) => createHash(a));
    const counts = facts ? new Uint32Array(256) : undefined;
    const header: number[] = [];
    let total = 0;
    try {
      const stream = fd.createReadStream({ start: 0, end: maxBytes - 1, highWaterMark: 256 * 1024, autoClose: false });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        for (const h of hashes) h.update(chunk);
        if (counts) {
          for (let i = 0; i < chunk.length; i++) counts[chunk[i]!]!++;
          for (let i = 0; header.length < headerBytes && i < chunk.length; i++) header.push(chunk[i]!);
        }
        total += chunk.length;
      }
    } catch (err) {
      this.counters.hashErrors++;
      return { hashes: { error: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` } };
    } finally {
      await fd.close().catch(() => {});
    }
    this.counters.hashFiles++;
    this.counters.hashBytes += total;
    const out: FileFacts['hashes'] = {};
    algorithms.forEach((a, i) => (out[a] = hashes[i]!.digest('hex')));
    if (total < size) out.partial = true;
    if (!counts) return { hashes: out };
    return { hashes: out, size, header: Buffer.from(header).toString('hex'), entropy: entropyOf(counts, total) };
  }
}
