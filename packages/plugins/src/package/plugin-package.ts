/**
 * Loading a plugin package: verification ({@link verifyPackage}) plus the plugin-specific
 * checks — API version range, entry source as UTF-8 text, config against the config schema.
 *
 * @module
 */
import { PluginError } from '../errors.js';
import { validateConfig } from './config-schema.js';
import { apiCompatible, parsePluginManifest, PLUGIN_API_VERSION, PLUGIN_MANIFEST, type PluginManifest } from './manifest.js';
import { verifyPackage, type ManifestKind, type VerifiedPackage, type VerifyOptions } from './verify.js';

/** A verified plugin package, ready for the host. */
export interface PluginPackage extends VerifiedPackage<PluginManifest> {
  readonly type: 'plugin';
  /** The verified entry module source, exactly the bytes that were checked. */
  readonly entrySource: string;
}

/** The plugin manifest kind for {@link verifyPackage}. */
export const pluginManifestKind: ManifestKind<PluginManifest> = {
  type: 'plugin',
  fileName: PLUGIN_MANIFEST,
  parse: (bytes, where) => parsePluginManifest(bytes, where),
};

/**
 * Validate `config` (or the manifest's default config) against the manifest's JSON Schema,
 * within the limits of {@link validateConfig} (nothing in a schema can hang or crash
 * the host).
 * @throws {@link PluginError} `ERR_PLUGIN_CONFIG` naming each bad field, or a schema
 *   refusal: `ERR_PLUGIN_SCHEMA_TOO_LARGE`, `ERR_PLUGIN_SCHEMA_REF`, `ERR_PLUGIN_SCHEMA_PATTERN`, `ERR_PLUGIN_SCHEMA_INVALID`.
 */
export function resolvePluginConfig(manifest: PluginManifest, config: unknown = manifest.defaultConfig): unknown {
  return validateConfig(manifest.configSchema, config, manifest.name);
}

/**
 * Read, verify and check the plugin package in `dir`.
 * @throws {@link PluginError}: every code of {@link verifyPackage}, plus `ERR_PLUGIN_API`
 *   when the plugin needs another plugin API version, `ERR_PLUGIN_CONFIG` when its
 *   default config does not match its schema, and the schema refusals of {@link resolvePluginConfig}.
 */
export function loadPluginPackage(dir: string, options: VerifyOptions): PluginPackage {
  const pkg = verifyPackage(dir, pluginManifestKind, options);
  const { manifest } = pkg;
  if (!apiCompatible(manifest)) {
    throw new PluginError('ERR_PLUGIN_API', `${manifest.name} needs plugin API ${manifest.api}; this edrkit provides ${PLUGIN_API_VERSION}`, { plugin: manifest.name });
  }
  const entry = pkg.files.get(manifest.entry);
  if (!entry) throw new PluginError('ERR_PLUGIN_TAMPERED', `${manifest.name}: entry '${manifest.entry}' is missing`, { plugin: manifest.name });
  const entrySource = new TextDecoder('utf-8', { fatal: false }).decode(entry);
  resolvePluginConfig(manifest);
  return { ...pkg, type: 'plugin', entrySource };
}
