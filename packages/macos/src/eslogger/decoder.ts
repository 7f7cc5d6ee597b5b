/**
 * One eslogger message (a parsed JSON line) → edrkit event drafts. The message is Apple's
 * `es_message_t` as JSON: `event_type`, `event: { <name>: body }`, the acting `process`,
 * `time`, `thread`, `seq_num`, `global_seq_num`, `version`. Only the fields edrkit maps are
 * read; unknown fields and unknown event names never fail a message (an unknown event maps
 * to nothing and is counted as unmapped by the caller). The same decoder reads the records
 * of the Endpoint Security addon, which writes this schema.
 *
 * @module
 */
import type { EdrEvent, EventDraft, ImportDecoder, ImportRecordLocation, ImportResult, Process } from '@edrkit/core';
import { ProcessTable } from '@edrkit/core/internal';
import type { AuditToken } from './audit-token.js';
import { auditTokenAt } from './audit-token.js';
import type { EventMapper, MapContext } from './context.js';
import { isObject, isoTime, obj, optObj, optUint, type Json } from './json-read.js';
import { AUTH_MAPPERS } from './map-auth.js';
import { FILE_MAPPERS } from './map-file.js';
import { PROCESS_MAPPERS } from './map-process.js';
import { ProcessArgsCache, readProcess } from './process.js';
import { EsRecordError } from './record-error.js';
import { SequenceTracker } from './sequence.js';

const MAPPERS: Record<string, EventMapper> = { ...PROCESS_MAPPERS, ...FILE_MAPPERS, ...AUTH_MAPPERS };

/** The ES event names the decoder maps to edrkit kinds. */
export const MAPPED_ES_EVENTS: readonly string[] = Object.keys(MAPPERS);

/** Options of {@link EsMessageDecoder}. */
export interface EsMessageDecoderOptions {
  /** The event `source`: `macos-eslogger` (default) or `macos-es`. */
  source?: string;
  /** Processes whose argv is remembered for later events (default 4096). */
  argsCacheSize?: number;
  /**
   * Fill `process.parent` from the processes seen so far (core's process table). For imports,
   * where the replay sensor adds no lineage; a live sensor does its own, so backends leave it off.
   */
  lineage?: boolean;
}

/** Decodes the messages of one eslogger stream (keeps sequence numbers and argv between them). */
export class EsMessageDecoder implements ImportDecoder {
  /** Sequence-number tracking (loss per ES event type). */
  readonly sequence = new SequenceTracker();
  /** Messages whose event edrkit does not map, per ES event name. */
  readonly unmapped = new Map<string, number>();
  private readonly source: string;
  private readonly args: ProcessArgsCache;
  private readonly table: ProcessTable | undefined;
  /** (pid:pidversion:path) of executable mappings already reported; oldest out past 16384. */
  private readonly mappings = new Set<string>();

  constructor(options: EsMessageDecoderOptions = {}) {
    this.source = options.source ?? 'macos-eslogger';
    this.args = new ProcessArgsCache(options.argsCacheSize);
    this.table = options.lineage ? new ProcessTable() : undefined;
  }

  /** Decode one parsed message (`where` is for callers' messages; errors name field paths). */
  decode(record: unknown, _where?: ImportRecordLocation): ImportResult {
    if (!isObject(record)) throw new EsRecordError('', `expected an eslogger message (a JSON object), got ${record === null ? 'null' : Array.isArray(record) ? 'an array' : typeof record}`);
    const event = obj(record, 'event', '');
    const names = Object.keys(event);
    if (names.length !== 1) throw new EsRecordError('event', `expected one event name as its only key, got ${names.length === 0 ? 'none' : names.slice(0, 5).join(', ')}`);
    const name = names[0]!;
    const gap = this.sequence.observe(name, optUint(record, 'seq_num', ''), optUint(record, 'global_seq_num', ''));
    const lost = gap ? { lost: gap } : {};
    const mapper = Object.hasOwn(MAPPERS, name) ? MAPPERS[name] : undefined;
    if (!mapper) {
      this.unmapped.set(name, (this.unmapped.get(name) ?? 0) + 1);
      return { events: [], ...lost };
    }
    const ev = obj(event, name, 'event');
    const events = mapper(this.context(record, name, ev));
    // The table reads drafts as events: it only looks at kind, time, process and child.
    if (this.table) for (const e of events) this.table.enrich(e as EdrEvent);
    return { events, ...lost };
  }

  private context(msg: Json, name: string, ev: Json): MapContext {
    const time = isoTime(msg, 'time', '');
    const tid = optUint(optObj(msg, 'thread', '') ?? {}, 'thread_id', 'thread');
    const p = obj(msg, 'process', '');
    const actorToken: AuditToken = auditTokenAt(p, 'audit_token', 'process');
    const actorArgs = this.args.get(actorToken);
    const read = readProcess(p, 'process', { ...(actorArgs ? { args: actorArgs } : {}), ...(tid !== undefined ? { tid } : {}) });
    const version = optUint(msg, 'version', '');
    const baseRaw = {
      esEvent: name,
      ...(version !== undefined ? { esVersion: version } : {}),
      auditToken: read.token,
      ...(read.responsiblePid !== undefined && read.responsiblePid !== read.token.pid ? { responsiblePid: read.responsiblePid } : {}),
    };
    const source = this.source;
    const cache = this.args;
    return {
      name,
      ev,
      at: `event.${name}`,
      msg,
      actor: read.process,
      actorToken,
      tid,
      args: cache,
      argsOf: (token) => cache.get(token),
      firstMapping: (token, path) => {
        const key = `${token.pid}:${token.pidversion}:${path}`;
        if (this.mappings.has(key)) return false;
        this.mappings.add(key);
        if (this.mappings.size > 16384) this.mappings.delete(this.mappings.values().next().value!);
        return true;
      },
      draft(kind, payload, extra) {
        const process: Process = extra?.process ?? read.process;
        return { kind, time, platform: 'macos', source, process, ...payload, raw: { macos: { ...baseRaw, ...extra?.raw } } } as unknown as EventDraft;
      },
    };
  }
}
