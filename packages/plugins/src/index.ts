/**
 * `@edrkit/plugins`: signed, isolated edrkit plugins. minisign-format signatures (Node
 * crypto only), the trust store under `EDRKIT_HOME`, verify-then-run-exactly-those-bytes
 * loading, a supervised child-process host with deadlines, heartbeats, memory caps,
 * quarantine and last-known-good rollback, and signed content packs with staged rollout.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './signing/keys.js';
export * from './signing/signature.js';
export * from './package/manifest.js';
export { sha256Digest, readPackageBytes, readFileNoFollow, type PackageBytes } from './package/files.js';
export * from './package/verify.js';
export * from './package/plugin-package.js';
export { compileConfigSchema, validateConfig, MAX_SCHEMA_NODES, MAX_SCHEMA_DEPTH, MAX_PATTERN_LENGTH, MAX_UNIQUE_ITEMS } from './package/config-schema.js';
export { findDuplicateKey, type DuplicateKey } from './package/json-keys.js';
export * from './package/sign.js';
export * from './trust/trust-store.js';
export { withStoreLock, LOCK_TIMEOUT_MS, LOCK_STALE_MS } from './trust/store-lock.js';
export { defaultEdrkitHome, parseKeyId, parseDigest, type TrustedKeyRecord, type RevocationRecord, type PackageState, type QuarantineRecord } from './trust/store-files.js';
export * from './content/content-manifest.js';
export * from './content/rollout.js';
export { PluginHost, DEFAULT_POLICY, type PluginHostOptions, type AttachOptions } from './host/plugin-host.js';
export type { SlotPolicy } from './host/plugin-slot.js';
export { WorkerFailure, type FailureReason, type WorkerLimits } from './host/plugin-worker.js';
export { AlertSchema, SeveritySchema } from './host/messages.js';
export { permissionFlag } from './host/node-flags.js';
export { probeConfinement, launcherPath, type SandboxReport, type LayerState, type ConfinementOptions } from './host/confinement.js';
export { FAILURE_CODES, type FailureCode, type RefusalCode } from './host/codes.js';
export { pluginText } from './host/plugin-text.js';
export { macosSandboxProfile, type MacosSandboxOptions } from './host/macos-sandbox.js';
export type * from './host/types.js';
export * from './author.js';
