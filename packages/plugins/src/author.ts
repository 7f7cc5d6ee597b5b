/**
 * Types for plugin authors. A plugin's entry module (plain JavaScript, one ES module)
 * exports `onEvent(event, ctx)` and optionally `setup(ctx)`:
 *
 * ```js
 * // @ts-check
 * /** @type {import('@edrkit/plugins').OnEvent} *\/
 * export function onEvent(event, ctx) {
 *   if (event.kind === 'process.exec' && event.process.exe.endsWith('/nc')) {
 *     ctx.alert({ title: 'netcat started', severity: 'medium' });
 *   }
 * }
 * ```
 *
 * The entry runs in a child process with no file system, network-of-the-host or
 * child-process access (Node's permission model), and cannot import other files: bundle
 * it into one module.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';
import type { Alert } from './host/messages.js';

export type { Alert, Severity } from './host/messages.js';

/** What a plugin gets: its identity, its validated config, and ways to report. */
export interface PluginContext<Config = unknown> {
  readonly name: string;
  readonly version: string;
  /** The config, validated against the manifest's `configSchema`. */
  readonly config: Config;
  /** Report a finding (needs the `alert` capability). */
  alert(alert: Alert): void;
  /** Write a log line (needs the `log` capability). */
  readonly log: {
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
  };
}

/** The `onEvent` export of a plugin. Throwing reports the error with the event; the plugin keeps running. */
export type OnEvent<Config = unknown> = (event: EdrEvent, ctx: PluginContext<Config>) => void | Promise<void>;

/** The optional `setup` export, called once before the first event. */
export type Setup<Config = unknown> = (ctx: PluginContext<Config>) => void | Promise<void>;

/** The shape of a plugin entry module. */
export interface PluginModule<Config = unknown> {
  onEvent: OnEvent<Config>;
  setup?: Setup<Config>;
}

/**
 * Identity helper that types a plugin module for TypeScript authors (compile the plugin to
 * one ES module and export the result's members).
 */
export function definePlugin<Config = unknown>(plugin: PluginModule<Config>): PluginModule<Config> {
  return plugin;
}
