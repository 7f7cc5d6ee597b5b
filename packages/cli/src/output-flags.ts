/**
 * The `--output` flags of `watch` (and their sinks' flags), without the sinks: registering
 * them must not load the NATS client or the file sink (sink-output.ts loads those when
 * `--output` names a sink).
 *
 * @module
 */
import type { Command } from 'commander';
import { addNatsFlags, type NatsFlags } from './nats-flags.js';

/** Parsed output flags. */
export interface OutputFlags extends NatsFlags {
  output?: string;
  host?: string;
  spool?: string;
  spoolSize?: string;
  spoolFsync?: string;
  natsReplicas?: string;
  rotateSize?: string;
  rotateAge?: string;
}

/** Add `--output` and the flags of its sinks. */
export function addOutputFlags(cmd: Command): Command {
  return addNatsFlags(
    cmd
      .option('--output <target>', 'where events go: - (stdout, default), file:PATH (JSON Lines, rotated), nats://HOST:PORT[,nats://…] (JetStream)')
      .option('--host <name>', 'host name in NATS subjects and message ids (default: this host name)')
      .option('--spool <dir>', 'NATS spool directory (default $EDRKIT_HOME/spool/STREAM-HOST)')
      .option('--spool-size <bytes>', 'largest NATS spool on disk, e.g. 256m (default 256m); when full the oldest events are dropped and counted')
      .option('--spool-fsync <policy>', 'batch (fdatasync every batch, default) or os (leave write-back to the OS)')
      .option('--nats-replicas <n>', 'replicas when the stream has to be created (default 1)')
      .option('--rotate-size <bytes>', 'file: rotate once the file reaches this size, e.g. 100m')
      .option('--rotate-age <seconds>', 'file: rotate once the file is this old'),
  );
}
