/**
 * `@edrkit/core/testing`: the backend conformance suite and a test-driven backend.
 * Requires vitest (a peer dependency of this entry point only).
 *
 * @packageDocumentation
 */
export * from './conformance.js';
export * from './memory-backend.js';
