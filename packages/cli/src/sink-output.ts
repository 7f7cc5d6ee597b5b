/**
 * `watch --output TARGET`: events to a sink instead of stdout. `file:PATH` is a rotating
 * JSON Lines file; `nats://HOST:PORT[,…]` publishes to JetStream through an on-disk spool
 * (docs/fleet.md). `-` (the default) is stdout.
 *
 * @module
 */
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@edrkit/core';
import { BatchWriter, DEFAULT_STREAM, FileSink, JetStreamSink, checkSinkFormat, hostToken, type Sink } from '@edrkit/output';
import { consume } from './consume.js';
import { isNatsUrl, natsConnection } from './nats-flags.js';
import type { OutputFlags } from './output-flags.js';
import { safe } from './pretty.js';
import { EXIT, reportError } from './user-error.js';
import { openLiveSensor, type LiveOptions } from './commands/watch.js';

/** Parse `123`, `64k`, `256m`, `1g` (binary units). */
export function parseBytes(value: string, option: string): number {
  const m = /^(\d+)([kmg]i?b?)?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`${option}: '${value}' is not a size (bytes, or with k, m or g)`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').charAt(0).toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit;
}

function positive(value: string, option: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError(`${option}: '${value}' is not a positive number`);
  return n;
}

/** The sink `--output` names, or undefined for stdout. Checks every flag before anything is created. */
export async function openOutputSink(flags: OutputFlags, format: string, warn: (message: string) => void): Promise<Sink | undefined> {
  const target = flags.output;
  if (target === undefined || target === '-') return undefined;
  const sinkFormat = checkSinkFormat(format, '--format (with --output)');
  if (target.startsWith('file:')) {
    const path = target.slice('file:'.length);
    if (!path) throw new InvalidArgumentError('--output file:PATH names no file');
    return FileSink.open({
      path,
      format: sinkFormat,
      ...(flags.rotateSize ? { maxBytes: parseBytes(flags.rotateSize, '--rotate-size') } : {}),
      ...(flags.rotateAge ? { maxAgeMs: positive(flags.rotateAge, '--rotate-age') * 1000 } : {}),
    });
  }
  if (isNatsUrl(target)) {
    const host = flags.host ?? hostname();
    const stream = flags.natsStream ?? DEFAULT_STREAM;
    const home = process.env['EDRKIT_HOME'] || join(homedir(), '.edrkit');
    const replicas = flags.natsReplicas ? positive(flags.natsReplicas, '--nats-replicas') : undefined;
    return JetStreamSink.open({
      connection: natsConnection(target, flags),
      spool: {
        dir: flags.spool ?? join(home, 'spool', `${stream}-${hostToken(host)}`),
        ...(flags.spoolSize ? { maxBytes: parseBytes(flags.spoolSize, '--spool-size') } : {}),
        ...(flags.spoolFsync ? { fsync: flags.spoolFsync as 'batch' } : {}),
      },
      host,
      stream: { name: stream, ...(replicas ? { replicas } : {}) },
      ...(flags.subjectPrefix ? { subjectPrefix: flags.subjectPrefix } : {}),
      format: sinkFormat,
      onWarning: (err) => warn(err.message),
    });
  }
  throw new InvalidArgumentError(`--output: '${target}' is not - , file:PATH or nats://HOST:PORT`);
}

/** Open the live sensor and write every event to `sink`; the sink's stats go to stderr at the end. */
export async function runLiveToSink(live: LiveOptions, sink: Sink): Promise<number> {
  const writer = new BatchWriter(sink);
  try {
    const sensor = await openLiveSensor(live);
    const result = await consume(sensor, { durationMs: live.durationMs, onEvent: (e) => writer.add(e) });
    await writer.close();
    const s = sink.stats();
    process.stderr.write(`edrkit: output ${sink.kind}: ${s.written} written, ${s.delivered} delivered, ${s.pending} pending, ${s.lost} lost\n`);
    return result.error ? reportError(result.error) : EXIT.ok;
  } catch (err) {
    await writer.close().catch(() => undefined);
    return reportError(err);
  }
}

/** A warning line for sink notices. */
export function warnLine(message: string): void {
  process.stderr.write(`edrkit: warning: ${safe(message)}\n`);
}
