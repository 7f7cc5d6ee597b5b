/**
 * How edrkit reaches a NATS server: the URL(s), credentials (a `.creds` file of a
 * decentralised-auth user, or an nkey seed file) and TLS (a CA file, optionally a client
 * certificate). Files are read once, when the options are built, so a typo fails before
 * anything is opened.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from '@edrkit/core';
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from '@nats-io/transport-node';

/** Where and how to connect. */
export interface NatsConnectOptions {
  /** `nats://HOST:PORT` (or `tls://…`); several for a cluster, comma-separated or as a list. */
  servers: string | readonly string[];
  /** A NATS user credentials file (`.creds`: JWT + nkey seed). */
  credsFile?: string;
  /** An nkey seed file (`SU…`). */
  nkeyFile?: string;
  /** A CA certificate (PEM) to verify the server with; turns TLS on. */
  caFile?: string;
  /** Client certificate and key (PEM) for servers that verify clients; turns TLS on. */
  certFile?: string;
  keyFile?: string;
  /** Client name shown by the server's monitoring. */
  name?: string;
  /** Connect timeout in ms (default 5000). */
  timeoutMs?: number;
}

/** Split and check `nats://` / `tls://` URLs; throws `ERR_INVALID_ARGUMENT` naming a bad one. */
export function parseNatsServers(servers: string | readonly string[]): string[] {
  const list = (typeof servers === 'string' ? servers.split(',') : [...servers]).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new InvalidArgumentError('NATS: no server URL given (nats://HOST:PORT)');
  for (const s of list) {
    let url: URL;
    try {
      url = new URL(s);
    } catch {
      throw new InvalidArgumentError(`NATS: '${s}' is not a URL (nats://HOST:PORT)`);
    }
    if (url.protocol !== 'nats:' && url.protocol !== 'tls:') throw new InvalidArgumentError(`NATS: '${s}' must start with nats:// or tls://`);
    if (!url.hostname) throw new InvalidArgumentError(`NATS: '${s}' names no host`);
  }
  return list;
}

function readOption(file: string, what: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new InvalidArgumentError(`NATS ${what} '${file}': cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** The `@nats-io` connection options for these settings (reconnection is left to the caller). */
export function natsConnectionOptions(options: NatsConnectOptions): ConnectionOptions {
  const servers = parseNatsServers(options.servers);
  if (options.credsFile && options.nkeyFile) throw new InvalidArgumentError('NATS: give a creds file or an nkey file, not both');
  const out: ConnectionOptions = { servers, timeout: options.timeoutMs ?? 5000, ...(options.name ? { name: options.name } : {}) };
  if (options.credsFile) out.authenticator = credsAuthenticator(readOption(options.credsFile, 'creds file'));
  if (options.nkeyFile) {
    const seed = new TextDecoder().decode(readOption(options.nkeyFile, 'nkey file')).trim();
    if (!/^S[A-Z2-7]{57}$/.test(seed)) throw new InvalidArgumentError(`NATS nkey file '${options.nkeyFile}': not an nkey seed (a line of 58 base32 characters starting with S)`);
    out.authenticator = nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  if (options.caFile || options.certFile || options.keyFile || servers.some((s) => s.startsWith('tls:'))) {
    if (Boolean(options.certFile) !== Boolean(options.keyFile)) throw new InvalidArgumentError('NATS: a client certificate needs both a cert file and a key file');
    for (const [file, what] of [
      [options.caFile, 'CA file'],
      [options.certFile, 'cert file'],
      [options.keyFile, 'key file'],
    ] as const) {
      if (file) readOption(file, what); // fail now, naming the file, rather than at connect
    }
    out.tls = {
      ...(options.caFile ? { caFile: options.caFile } : {}),
      ...(options.certFile ? { certFile: options.certFile } : {}),
      ...(options.keyFile ? { keyFile: options.keyFile } : {}),
    };
  }
  return out;
}
