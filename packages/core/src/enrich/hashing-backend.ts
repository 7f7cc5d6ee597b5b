/**
 * The hashing enrichment stage as a backend wrapper, so every backend gets it the same way:
 * batches the backend pushes are held until their files are hashed — at most `timeoutMs` —
 * then handed to the sensor in their original order. An event whose hash is not ready by
 * then goes out with `hashes.pending: true`; the hash keeps being computed and cached for
 * the next event naming that file.
 *
 * Which files: the image of `process.exec` (`process.hashes`), the library of `image.load`
 * (`image.hashes`), and files written — `file.create` and `file.modify` (`file.hashes`, plus
 * `size`, `header`, `entropy`). A file is hashed as it is when the event is processed.
 *
 * @module
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Backend, BackendProbe, BackendStartOptions, BackendStats, EventSink } from '../backend.js';
import type { EventDraft, Hashes, ProcessRef } from '../events/schema.js';
import { FileHasher, type FileFacts } from './file-hasher.js';

/** Events waiting for hashes at most; beyond it events pass at once with `pending` (never unbounded memory). */
export const MAX_EVENTS_AWAITING_HASHES = 10_000;

type Job = { path: string; apply: (facts: FileFacts | undefined) => void };

function hashesOf(facts: FileFacts | undefined): Hashes {
  return facts ? facts.hashes : { pending: true };
}

/** The file an event names for hashing, and how to put the result on the event. */
function jobOf(draft: EventDraft, withFacts: boolean): Job | undefined {
  switch (draft.kind) {
    case 'process.exec': {
      const path = draft.process.exe;
      if (!path) return undefined;
      // The process object may be shared with other events of the batch: replace, never mutate.
      return { path, apply: (f) => (draft.process = { ...draft.process, hashes: hashesOf(f) }) };
    }
    case 'image.load':
      return { path: draft.image.path, apply: (f) => (draft.image = { ...draft.image, hashes: hashesOf(f) }) };
    case 'file.create':
    case 'file.modify':
      return {
        path: draft.file.path,
        apply: (f) => {
          const facts = withFacts && f ? { size: f.size, header: f.header, entropy: f.entropy } : {};
          for (const k of Object.keys(facts) as (keyof typeof facts)[]) if (facts[k] === undefined) delete facts[k];
          draft.file = { ...draft.file, ...facts, hashes: hashesOf(f) };
        },
      };
    default:
      return undefined;
  }
}

/** Wraps a backend so the events it pushes carry hashes. */
export class HashingBackend implements Backend {
  readonly id: string;
  readonly platform: Backend['platform'];
  readonly replaysRecordedEvents?: boolean;
  private chain: Promise<void> = Promise.resolve();
  private awaiting = 0;

  constructor(
    readonly inner: Backend,
    readonly hasher: FileHasher,
  ) {
    this.id = inner.id;
    this.platform = inner.platform;
    if (inner.replaysRecordedEvents !== undefined) this.replaysRecordedEvents = inner.replaysRecordedEvents;
    if (inner.lookupProcess) this.lookupProcess = (pid) => inner.lookupProcess?.(pid);
  }

  lookupProcess?: (pid: number) => ProcessRef | undefined;

  probe(): Promise<BackendProbe> {
    return this.inner.probe();
  }

  start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    // Everything the backend reports goes through one chain, so loss markers, warnings and
    // the end stay in order with the events around them.
    const later = (fn: () => void) => void (this.chain = this.chain.then(fn, fn));
    const wrapped: EventSink = {
      push: (events) => this.push(events, sink),
      lost: (count, reason, stage) => later(() => sink.lost(count, reason, stage)),
      warn: (err) => later(() => sink.warn(err)),
      error: (err) => later(() => sink.error(err)),
      end: () => later(() => sink.end()),
      ready: () => this.chain.then(() => sink.ready()),
    };
    return this.inner.start(options, wrapped);
  }

  /** Stops the backend, then hands on what is still waiting for hashes (at most `timeoutMs`), so close() loses nothing. */
  async stop(): Promise<void> {
    await this.inner.stop();
    await this.chain;
  }

  stats(): BackendStats {
    return { ...this.inner.stats(), ...this.hasher.stats() };
  }

  private push(events: readonly EventDraft[], sink: EventSink): void {
    const withFacts = this.hasher.options.facts;
    const jobs = events.flatMap((e) => jobOf(e, withFacts) ?? []);
    if (jobs.length === 0 || this.awaiting + events.length > MAX_EVENTS_AWAITING_HASHES) {
      // Nothing to hash, or too much waiting already: pass on (marked pending) behind what waits.
      for (const j of jobs) j.apply(undefined);
      this.chain = this.chain.then(() => sink.push(events));
      return;
    }
    this.awaiting += events.length;
    const results = new Map<Job, FileFacts>();
    // Start every read now: the wait below overlaps them with the batches ahead.
    const all = Promise.all(jobs.map((j) => this.hasher.facts(j.path).then((f) => void results.set(j, f))));
    const timeout = this.hasher.options.timeoutMs;
    const settled = Promise.race([all, sleep(timeout, undefined, { ref: false })]);
    this.chain = this.chain
      .then(() => settled)
      .then(() => {
        for (const j of jobs) j.apply(results.get(j));
        this.awaiting -= events.length;
        sink.push(events);
      });
  }
}
