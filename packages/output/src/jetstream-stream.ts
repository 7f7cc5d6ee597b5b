/**
 * The JetStream stream that holds events: created on first use when missing (file storage,
 * the subjects `<prefix>.>`, a duplicate window for message-id deduplication), left as the
 * operator configured it when it exists.
 *
 * @module
 */
import { jetstreamManager, RetentionPolicy, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';

/** The stream events are published to. */
export interface StreamSettings {
  /** Stream name (default `EDRKIT`). */
  name?: string;
  /** Create the stream when it does not exist (default true). */
  create?: boolean;
  /** Replicas when creating it (default 1; 3 on a three-node cluster). */
  replicas?: number;
  /**
   * Duplicate window when creating it, in ms (default 120000, JetStream's own default): a
   * retried message whose first copy is older than this is not recognised as a duplicate.
   * Make it longer than the longest outage after which you want no duplicates.
   */
  duplicateWindowMs?: number;
  /** Keep events at most this long, in ms (default: no age limit). */
  maxAgeMs?: number;
}

/** Default stream name. */
export const DEFAULT_STREAM = 'EDRKIT';

/** Make sure the stream exists (creating it per `settings`); returns the manager. */
export async function ensureStream(nc: NatsConnection, subjectPrefix: string, settings: StreamSettings = {}): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  const name = settings.name ?? DEFAULT_STREAM;
  try {
    await jsm.streams.info(name);
    return jsm;
  } catch (err) {
    if (settings.create === false || !isNotFound(err)) throw err;
  }
  try {
    await jsm.streams.add({
      name,
      subjects: [`${subjectPrefix}.>`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      num_replicas: settings.replicas ?? 1,
      duplicate_window: nanos(settings.duplicateWindowMs ?? 120_000),
      ...(settings.maxAgeMs ? { max_age: nanos(settings.maxAgeMs) } : {}),
    });
  } catch (err) {
    // Another sensor created it at the same moment: fine if it is there now.
    await jsm.streams.info(name).catch(() => {
      throw err;
    });
  }
  return jsm;
}

/** JetStream's "not found" (stream or consumer). */
export function isNotFound(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown; api_error?: { code?: number } };
  return e?.name === 'StreamNotFoundError' || e?.name === 'ConsumerNotFoundError' || e?.api_error?.code === 404 || /not found/i.test(String(e?.message));
}
