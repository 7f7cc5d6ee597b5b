/**
 * The host's end of a plugin's message channel: newline-delimited JSON over the child's
 * fd 3 (a socketpair). Node's built-in IPC channel is not used because it buffers a
 * message of any size before it can be inspected — a child writing one endless line would
 * grow the host without bound. Here a frame longer than `maxFrameBytes` is a protocol
 * failure, so the host never holds more than that per plugin on this path.
 *
 * @module
 */
import type { Duplex } from 'node:stream';

/** Callbacks of a {@link LineChannel}. */
export interface ChannelHandlers {
  message(value: unknown): void;
  /** The child broke the framing: an oversized frame or a line that is not JSON. */
  protocolError(reason: string): void;
}

/** Newline-delimited JSON over a duplex stream, with a frame-size bound. */
export class LineChannel {
  readonly #stream: Duplex;
  readonly #maxFrameBytes: number;
  readonly #handlers: ChannelHandlers;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #broken = false;

  constructor(stream: Duplex, maxFrameBytes: number, handlers: ChannelHandlers) {
    this.#stream = stream;
    this.#maxFrameBytes = maxFrameBytes;
    this.#handlers = handlers;
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    // A reset when the child dies surfaces as the child's exit; nothing to do here.
    stream.on('error', () => {});
  }

  /**
   * Send one message. Throws what `JSON.stringify` throws (a cycle, a BigInt, a structure
   * too deep for the stack) so the caller can drop the offending value instead of
   * charging the plugin with it.
   */
  send(message: unknown): void {
    this.sendLine(JSON.stringify(message));
  }

  /** Send one already-serialised message (`json` must not contain a raw newline; JSON never does). */
  sendLine(json: string): void {
    if (!this.#stream.destroyed && this.#stream.writable) this.#stream.write(`${json}\n`);
  }

  /** Stop reading and release the stream. */
  close(): void {
    this.#broken = true;
    this.#chunks = [];
    this.#stream.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#broken) return;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const part = chunk.subarray(start, nl);
      start = nl + 1;
      if (this.#buffered + part.length > this.#maxFrameBytes) return this.#fail(`a message longer than ${this.#maxFrameBytes} bytes`);
      const line = this.#chunks.length === 0 ? part : Buffer.concat([...this.#chunks, part]);
      this.#chunks = [];
      this.#buffered = 0;
      let value: unknown;
      try {
        value = JSON.parse(line.toString('utf8'));
      } catch {
        return this.#fail('a line that is not JSON');
      }
      this.#handlers.message(value);
      if (this.#broken) return;
    }
    const rest = chunk.subarray(start);
    if (rest.length === 0) return;
    if (this.#buffered + rest.length > this.#maxFrameBytes) return this.#fail(`a message longer than ${this.#maxFrameBytes} bytes`);
    // Copy: `rest` is a view into a pooled buffer the stream reuses.
    this.#chunks.push(Buffer.from(rest));
    this.#buffered += rest.length;
  }

  #fail(reason: string): void {
    this.#broken = true;
    this.#chunks = [];
    this.#handlers.protocolError(reason);
  }
}
