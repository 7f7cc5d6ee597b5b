/**
 * The typed boundary of `macos-es`: what native/macos/src/addon.c exports. The backend
 * reaches Endpoint Security only through it, so tests hand it a fake and every line of the
 * backend runs without macOS, root or the entitlement.
 *
 * @module
 */

/** An opaque ES client handle. */
export type EsClientHandle = { readonly __edrkitEsClient: unique symbol };

/** What `open()` returns: a client, or the `es_new_client_result_t` (stage `client`) / subscribe failure. */
export type EsOpenResult = { ok: true; handle: EsClientHandle } | { ok: false; result: number; stage: 'client' | 'subscribe' };

/** The addon's exports. */
export interface EsAddonApi {
  /**
   * Create an ES client subscribed to `eventTypes` (`es_event_type_t` values). `onBatch` is
   * called on the JS thread with eslogger-schema JSON lines and the messages the addon had to
   * drop since the last batch (its pending buffer was full).
   */
  open(eventTypes: number[], onBatch: (records: Buffer, dropped: number) => void): EsOpenResult;
  /** Unsubscribe and delete the client; waits for handler blocks in flight. A second close does nothing. */
  close(handle: EsClientHandle): void;
}

/**
 * The ES events the addon converts (es_record.c's `NAMES` table, in its order); the
 * `es-record` test checks this list against the C driver's `--list`.
 */
export const ADDON_ES_EVENTS = [
  'exec', 'open', 'fork', 'close', 'create', 'exit', 'get_task', 'kextload', 'link', 'mmap', 'mount', 'unmount', 'rename',
  'setextattr', 'setflags', 'setmode', 'setowner', 'unlink', 'write', 'truncate', 'deleteextattr', 'get_task_name', 'trace',
  'remote_thread_create', 'get_task_read', 'get_task_inspect', 'lw_session_login', 'lw_session_logout', 'lw_session_lock',
  'lw_session_unlock', 'openssh_login', 'openssh_logout', 'login_login', 'login_logout', 'btm_launch_item_add',
  'btm_launch_item_remove', 'od_create_user', 'od_delete_user', 'authentication', 'screensharing_attach', 'screensharing_detach',
  'su', 'sudo', 'od_group_add', 'od_group_remove', 'od_modify_password', 'od_disable_user', 'od_enable_user',
] as const;
