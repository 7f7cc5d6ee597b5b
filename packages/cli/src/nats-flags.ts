/**
 * NATS connection flags shared by `watch --output nats://…`, `detect --input nats://…`,
 * `detect --alerts-output nats://…` and `replay nats://…`: credentials, TLS, stream and
 * subject prefix.
 *
 * @module
 */
import type { Command } from 'commander';
import type { NatsConnectOptions } from '@edrkit/output';

// @edrkit/output's DEFAULT_STREAM and DEFAULT_SUBJECT_PREFIX, for the help text: registering a
// command must not load the NATS client (nats-flags.test.ts checks they stay the same).
/** The JetStream stream used when `--nats-stream` is not given. */
export const DEFAULT_STREAM = 'EDRKIT';
/** The subject prefix used when `--subject-prefix` is not given. */
export const DEFAULT_SUBJECT_PREFIX = 'edrkit.events';

/** Parsed NATS flags. */
export interface NatsFlags {
  natsCreds?: string;
  natsNkey?: string;
  natsCa?: string;
  natsCert?: string;
  natsKey?: string;
  natsStream?: string;
  subjectPrefix?: string;
}

/** True for an argument that names a NATS server rather than a file. */
export function isNatsUrl(value: string | undefined): value is string {
  return value !== undefined && /^(nats|tls):\/\//.test(value);
}

/** Add the NATS flags to a command. */
export function addNatsFlags(cmd: Command): Command {
  return cmd
    .option('--nats-creds <file>', 'NATS user credentials file (.creds)')
    .option('--nats-nkey <file>', 'NATS nkey seed file')
    .option('--nats-ca <file>', 'CA certificate (PEM) to verify the NATS server; turns TLS on')
    .option('--nats-cert <file>', 'client certificate (PEM) for NATS TLS')
    .option('--nats-key <file>', 'client key (PEM) for NATS TLS')
    .option('--nats-stream <name>', `JetStream stream (default ${DEFAULT_STREAM})`)
    .option('--subject-prefix <prefix>', `subject prefix: subjects are PREFIX.HOST.KIND (default ${DEFAULT_SUBJECT_PREFIX})`);
}

/** The connection options for `url` (comma-separated for a cluster) and the flags. */
export function natsConnection(url: string, flags: NatsFlags): NatsConnectOptions {
  return {
    servers: url,
    name: 'edrkit',
    ...(flags.natsCreds ? { credsFile: flags.natsCreds } : {}),
    ...(flags.natsNkey ? { nkeyFile: flags.natsNkey } : {}),
    ...(flags.natsCa ? { caFile: flags.natsCa } : {}),
    ...(flags.natsCert ? { certFile: flags.natsCert } : {}),
    ...(flags.natsKey ? { keyFile: flags.natsKey } : {}),
  };
}
