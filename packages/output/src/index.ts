/**
 * `@edrkit/output`: where events go after the sensor. A {@link Sink} interface (write a
 * batch, flush, close, stats) with a rotating JSON Lines {@link FileSink} and a NATS
 * JetStream sink ({@link JetStreamSink}) that spools to disk and delivers at least once,
 * deduplicated by message id; and {@link JetStreamInputBackend}, a sensor backend that
 * reads a stream back through a shared durable consumer (detection workers). See docs/fleet.md.
 *
 * @packageDocumentation
 */
export type { Sink, SinkStats } from './sink.js';
export { SINK_FORMATS, checkSinkFormat, encodeEvent, type SinkFormat } from './encode.js';
export { FileSink, type FileSinkOptions } from './file-sink.js';
export { Spool, type SpoolOptions, type SpoolFsync, type SpoolRecord, type SpoolTake } from './spool.js';
export { JetStreamSink, type JetStreamSinkOptions } from './jetstream-sink.js';
export { JetStreamInputBackend, type JetStreamInputOptions, type EventOrigin } from './jetstream-input.js';
export { DEFAULT_STREAM, type StreamSettings } from './jetstream-stream.js';
export { natsConnectionOptions, parseNatsServers, type NatsConnectOptions } from './nats-connection.js';
export { DEFAULT_SUBJECT_PREFIX, eventSubject, hostToken, kindToken, kindFromToken, checkSubjectPrefix } from './subject.js';
export { BatchWriter, type BatchWriterOptions } from './batch-writer.js';
export { OutputIoError, NatsUnavailableError } from './errors.js';
