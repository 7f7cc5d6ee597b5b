/**
 * `@edrkit/cli`: the `edrkit` command as a library (`main(argv, { backends })`), plus the pieces
 * other tools reuse: output formats and the streaming loop.
 *
 * @packageDocumentation
 */
export { main, buildProgram, type CommandModule, type MainOptions } from './program.js';
export { formatEvent, lineFormatter, pickFormat, FORMATS, type OutputFormat } from './output.js';
export { writeBatch, CHUNK_BYTES, type LineFormatter, type WriteBatchOptions } from './line-batch.js';
export { formatPretty, describePayload } from './pretty.js';
export { consume, statsLine, writeLine, type ConsumeOptions, type ConsumeResult } from './consume.js';
export { EXIT, reportError } from './user-error.js';
