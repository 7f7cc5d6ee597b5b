/**
 * `@edrkit/macos`: the macOS backends of edrkit and the `eslogger` import format.
 *
 * - `macos-eslogger` ({@link EsloggerBackend}): spawns Apple's `eslogger` (macOS 13+, root and
 *   Full Disk Access, no entitlement) and maps its JSON Lines to edrkit events.
 * - The `eslogger` import format ({@link esloggerImportFormat}): saved eslogger output read by
 *   `ReplayBackend` on any host (`edrkit replay capture.jsonl --input-format eslogger`).
 * - `macos-es` ({@link EsBackend}): an Endpoint Security client of its own through the native
 *   addon (native/macos, built on macOS only; needs Apple's ES entitlement). Its records use
 *   the eslogger schema, so one decoder ({@link EsMessageDecoder}) maps both backends.
 *
 * The package is plain JavaScript on every OS (the import format is useful everywhere); no
 * native code is built or loaded outside macOS.
 *
 * @packageDocumentation
 */
export { esloggerImportFormat } from './eslogger/import-format.js';
export { EsMessageDecoder, MAPPED_ES_EVENTS, type EsMessageDecoderOptions } from './eslogger/decoder.js';
export { EsRecordError } from './eslogger/record-error.js';
export { ES_NOTIFY_EVENTS, ES_EVENTS_BY_KIND, ES_EVENT_SINCE, OPT_IN_EVENTS, esEventsFor, type EsEventName } from './eslogger/event-types.js';
export { readAuditToken, AUDIT_TOKEN_FIELDS, type AuditToken } from './eslogger/audit-token.js';
export { EsloggerBackend } from './eslogger/backend.js';
export { esloggerDescriptor } from './eslogger/descriptor.js';
export { EsloggerOptionsSchema, DEFAULT_ESLOGGER, type EsloggerOptions } from './eslogger/options.js';
export { probeEslogger, ESLOGGER_PERMISSION } from './eslogger/probe.js';
export { newClientRemedy, esloggerRemedy, ES_NEW_CLIENT_RESULTS, type EsRemedy } from './es-remedies.js';
export type { MacosHostApi } from './host.js';
export { EsBackend, type EsBackendOptions, type EsOsApi } from './es/backend.js';
export { esDescriptor, EsBackendOptionsSchema } from './es/descriptor.js';
export { ADDON_ES_EVENTS, type EsAddonApi, type EsClientHandle, type EsOpenResult } from './es/addon-api.js';
