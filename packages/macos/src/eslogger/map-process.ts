/**
 * Process events: exec (the new image, with the pre-exec image kept in `raw.macos.preExec`),
 * fork, exit, task-port access, ptrace and remote thread creation.
 *
 * @module
 */
import type { AccessRight } from '@edrkit/core';
import type { EventMapper } from './context.js';
import { int, join, obj, optFilePathOf, optStrings } from './map-helpers.js';
import { readProcess } from './process.js';

const exec: EventMapper = (ctx) => {
  const targetAt = join(ctx.at, 'target');
  const target = obj(ctx.ev, 'target', ctx.at);
  const args = optStrings(ctx.ev, 'args', ctx.at) ?? [];
  const cwd = optFilePathOf(ctx.ev, 'cwd', ctx.at);
  const read = readProcess(target, targetAt, { args: { args, ...(cwd !== undefined ? { cwd } : {}) }, ...(ctx.tid !== undefined ? { tid: ctx.tid } : {}) });
  ctx.args.set(read.token, { args, ...(cwd !== undefined ? { cwd } : {}) });
  const script = optFilePathOf(ctx.ev, 'script', ctx.at);
  // The pre-exec image is the same pid before execve: the program that ran the new one.
  const preExec = { exe: ctx.actor.exe, ...(ctx.actor.signer ? { signer: ctx.actor.signer } : {}) };
  return [ctx.draft('process.exec', {}, { process: read.process, raw: { preExec, auditToken: read.token, ...(script !== undefined ? { script } : {}) } })];
};

const fork: EventMapper = (ctx) => {
  const child = readProcess(obj(ctx.ev, 'child', ctx.at), join(ctx.at, 'child'));
  const inherited = ctx.argsOf(ctx.actorToken);
  if (inherited) ctx.args.set(child.token, inherited); // a forked child runs the parent's image and argv
  const { startTime } = child.process;
  return [ctx.draft('process.fork', { child: { pid: child.process.pid, ...(startTime !== undefined ? { startTime } : {}) } })];
};

/** A POSIX wait status (`es_event_exit_t.stat`) → exit code or terminating signal. */
export function waitStatus(stat: number): { exitCode?: number; signal?: number } {
  const sig = stat & 0x7f;
  if (sig === 0) return { exitCode: (stat >> 8) & 0xff };
  if (sig === 0x7f) return {}; // stopped, not ended: ES does not report it as an exit, but say nothing false
  return { signal: sig };
}

const exit: EventMapper = (ctx) => {
  const stat = int(ctx.ev, 'stat', ctx.at);
  ctx.args.delete(ctx.actorToken);
  return [ctx.draft('process.exit', waitStatus(stat))];
};

function target(ctx: Parameters<EventMapper>[0], key = 'target') {
  const t = readProcess(obj(ctx.ev, key, ctx.at), join(ctx.at, key)).process;
  return { pid: t.pid, exe: t.exe, ...(t.startTime !== undefined ? { startTime: t.startTime } : {}) };
}

function access(rights: AccessRight[]): EventMapper {
  return (ctx) => [ctx.draft('process.access', { target: target(ctx), access: { rights } })];
}

const remoteThread: EventMapper = (ctx) => [ctx.draft('process.tamper', { target: target(ctx), technique: 'remote-thread' })];

/** The process events, by ES event name. */
export const PROCESS_MAPPERS: Record<string, EventMapper> = {
  exec,
  fork,
  exit,
  // get_task hands out the task's control port: full control, memory included.
  get_task: access(['task-port', 'memory-write', 'memory-read']),
  get_task_read: access(['task-port', 'memory-read']),
  get_task_inspect: access(['task-port', 'query']),
  get_task_name: access(['query']),
  trace: access(['ptrace-attach']),
  remote_thread_create: remoteThread,
};


