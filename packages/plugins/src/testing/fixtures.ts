/**
 * Helpers for the plugin tests: temporary homes, package directories, events and
 * recordings. Test-only; not exported from the package index.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EdrEvent } from '@edrkit/core';
import { PluginError } from '../errors.js';
import { signPackage } from '../package/sign.js';
import type { MinisignSecretKey } from '../signing/keys.js';

/** `CODE: message` of the {@link PluginError} that `fn` throws, or `accepted`; any other error is rethrown. */
export function pluginRefusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof PluginError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

/** A fresh temporary directory. */
export function tmpDir(prefix = 'edrkit-plugins-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** What a test plugin looks like. */
export interface PluginSpec {
  name: string;
  version?: string;
  /** Source of `index.js`. */
  source: string;
  kinds?: string[];
  capabilities?: string[];
  configSchema?: Record<string, unknown>;
  defaultConfig?: unknown;
  /** More files (relative path → text). */
  extraFiles?: Record<string, string>;
  /** Edit the manifest object before it is written (to build hostile manifests). */
  patch?: (manifest: Record<string, unknown>) => Record<string, unknown>;
}

/** Write an unsigned plugin package under `root/<name>-<version>`; returns its directory. */
export function writePlugin(root: string, spec: PluginSpec): string {
  const version = spec.version ?? '1.0.0';
  const dir = path.join(root, `${spec.name}-${version}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'index.js'), spec.source);
  for (const [rel, text] of Object.entries(spec.extraFiles ?? {})) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  const manifest: Record<string, unknown> = {
    name: spec.name,
    version,
    description: `test plugin ${spec.name}`,
    entry: 'index.js',
    api: '^1.0.0',
    kinds: spec.kinds ?? ['process.exec'],
    capabilities: spec.capabilities ?? ['alert', 'log'],
    configSchema: spec.configSchema ?? { type: 'object' },
    defaultConfig: spec.defaultConfig ?? {},
    files: {},
  };
  writeFileSync(path.join(dir, 'edrkit-plugin.json'), JSON.stringify(spec.patch ? spec.patch(manifest) : manifest, null, 2));
  return dir;
}

/** Write and sign a plugin package (manifest validation off, so hostile manifests can be signed). */
export function writeSignedPlugin(root: string, spec: PluginSpec, key: MinisignSecretKey): string {
  const dir = writePlugin(root, spec);
  signPackage(dir, key, { validate: false });
  return dir;
}

/** A `process.exec` event. */
export function execEvent(seq: number, exe: string, args: string[] = [path.basename(exe)]): EdrEvent {
  return {
    kind: 'process.exec',
    time: 1_700_000_000_000 + seq,
    seq,
    platform: 'linux',
    source: 'replay',
    process: { pid: 1000 + seq, ppid: 1, uid: 1000, exe, args, cmdline: args.join(' ') },
  };
}

/** `count` exec events; every third one runs `/bin/sh`. */
export function sampleEvents(count: number): EdrEvent[] {
  return Array.from({ length: count }, (_, i) => execEvent(i + 1, i % 3 === 0 ? '/bin/sh' : '/usr/bin/id'));
}

/** Write events as an edrkit recording (JSON Lines). */
export function writeRecording(file: string, events: readonly EdrEvent[]): string {
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return file;
}

/** A well-behaved plugin: alerts on configured shells. */
export const GOOD_PLUGIN_SOURCE = `
export function setup(ctx) {
  if (!Array.isArray(ctx.config.shells)) throw new Error('config.shells missing');
}
export function onEvent(event, ctx) {
  if (event.kind === 'process.exec' && ctx.config.shells.some((s) => event.process.exe.endsWith('/' + s))) {
    ctx.alert({ title: 'shell started', severity: 'medium', details: { exe: event.process.exe } });
  }
}
`;

/** Config schema and default of {@link GOOD_PLUGIN_SOURCE}. */
export const GOOD_PLUGIN_CONFIG = {
  configSchema: {
    type: 'object',
    properties: { shells: { type: 'array', items: { type: 'string' } } },
    required: ['shells'],
    additionalProperties: false,
  },
  defaultConfig: { shells: ['sh', 'bash'] },
};
