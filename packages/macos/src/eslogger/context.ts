/**
 * What every event mapper gets: the message, its event body, the acting process already
 * read, and a helper that builds a draft with the envelope filled in.
 *
 * @module
 */
import type { EventDraft, Process } from '@edrkit/core';
import type { AuditToken } from './audit-token.js';
import type { Json } from './json-read.js';
import type { ProcessArgs, ProcessArgsCache } from './process.js';

/** The context of one message being mapped. */
export interface MapContext {
  /** The ES event name (`exec`, `create`, …): the one key of `event`. */
  readonly name: string;
  /** The event body, `event.<name>`. */
  readonly ev: Json;
  /** Path of the body in error messages: `event.<name>`. */
  readonly at: string;
  /** The message (es_message_t as JSON). */
  readonly msg: Json;
  /** `msg.process`, read. */
  readonly actor: Process;
  readonly actorToken: AuditToken;
  /** The message's thread id, where given. */
  readonly tid: number | undefined;
  /** Argument cache of the decoder (exec fills it, fork copies, exit drops). */
  readonly args: ProcessArgsCache;
  /** Known argv/cwd of a process (by audit token). */
  argsOf(token: AuditToken): ProcessArgs | undefined;
  /** True the first time this process execution (audit token) maps `path` (bounded memory). */
  firstMapping(token: AuditToken, path: string): boolean;
  /** A draft of `kind` with time, platform, source, process (default: the actor) and `raw.macos`. */
  draft<D extends Record<string, unknown>>(kind: EventDraft['kind'], payload: D, extra?: { process?: Process; raw?: Record<string, unknown> }): EventDraft;
}

/** Maps one ES event to edrkit drafts ([] when the record means nothing edrkit models). */
export type EventMapper = (ctx: MapContext) => EventDraft[];
