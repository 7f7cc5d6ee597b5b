/**
 * The plugin manifest, `edrkit-plugin.json`, validated with zod. Objects are strict: an
 * unknown field is an error that names it, a missing field is named too. This is the
 * first thing edrkit reads from an untrusted package, so it never throws anything but a
 * {@link PluginError} with code `ERR_PLUGIN_MANIFEST`.
 *
 * @module
 */
import { EVENT_KINDS, toEventIssues } from '@edrkit/core';
import semver from 'semver';
import { z } from 'zod';
import { PluginError } from '../errors.js';
import { findDuplicateKey } from './json-keys.js';

/** File name of the plugin manifest inside a package directory. */
export const PLUGIN_MANIFEST = 'edrkit-plugin.json';
/** Suffix of the detached minisign signature of a manifest. */
export const SIGNATURE_SUFFIX = '.minisig';
/** File name of a content pack manifest (signed rule sets and other data). */
export const CONTENT_MANIFEST = 'edrkit-content.json';
const RESERVED_FILES = new Set([PLUGIN_MANIFEST, `${PLUGIN_MANIFEST}.minisig`, CONTENT_MANIFEST, `${CONTENT_MANIFEST}.minisig`]);
/** Version of the plugin API this host provides; a manifest's `api` range must include it. */
export const PLUGIN_API_VERSION = '1.0.0';
/** Largest manifest accepted, in bytes. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** Plugin and content pack names: lower-case, npm-like, at most 64 characters. */
export const PackageNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 characters of a-z, 0-9, ".", "_", "-", starting with a letter or digit');

/** A semver version such as `1.2.3`. */
export const VersionSchema = z.string().refine((v) => semver.valid(v) === v, 'must be a semver version such as 1.2.3');

/** A relative POSIX path inside the package: no `..`, no absolute paths, no backslashes. */
export const PackagePathSchema = z
  .string()
  .min(1)
  .max(255)
  .refine(
    (p) => !p.startsWith('/') && !p.includes('\\') && !p.includes('\0') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'),
    'must be a relative path inside the package (no "..", no leading "/", no backslashes)',
  );

/** `sha256:` followed by 64 lower-case hex digits. */
export const DigestSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" and 64 lower-case hex digits');

/** True for a JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Digests of every package file except the manifest and its signature, as a null-prototype
 * object. A plain `{}` (or zod's record, which copies into one) drops a `__proto__` entry and
 * answers `'constructor' in files` with true; here every name is an ordinary own key, so a
 * file called `__proto__` or `constructor` must be listed and digested like any other.
 */
export const FilesSchema = z.unknown().transform((value, ctx): Record<string, string> => {
  if (!isJsonObject(value)) {
    ctx.addIssue({ code: 'custom', message: value === undefined ? 'missing (list every package file with its digest)' : 'must be an object of "path": "sha256:…" entries' });
    return z.NEVER;
  }
  const keys = Object.keys(value);
  if (keys.length > 1000) ctx.addIssue({ code: 'custom', message: 'at most 1000 files' });
  const files = Object.create(null) as Record<string, string>;
  for (const key of keys) {
    // The own property, never an inherited one (a JSON `__proto__` key is an own property).
    const digest = Object.getOwnPropertyDescriptor(value, key)?.value as unknown;
    const pathCheck = PackagePathSchema.safeParse(key);
    if (!pathCheck.success) ctx.addIssue({ code: 'custom', path: [key], message: `file name: ${pathCheck.error.issues[0]?.message ?? 'invalid'}` });
    else if (RESERVED_FILES.has(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'must not list the manifest or its signature' });
    if (!DigestSchema.safeParse(digest).success) ctx.addIssue({ code: 'custom', path: [key], message: 'must be "sha256:" and 64 lower-case hex digits' });
    Object.defineProperty(files, key, { value: digest, enumerable: true, writable: true, configurable: true });
  }
  return files;
});

/**
 * What a plugin may do; the host refuses calls that were not declared. `network` asks for the
 * host's network (no empty network namespace, no Landlock TCP rule); it is granted only when
 * the operator also allows it for this plugin (`PluginHost({ allowNetwork })`,
 * `edrkit plugin run --allow-network NAME`).
 */
export const CapabilitySchema = z.enum(['alert', 'log', 'network']);
/** A declared plugin capability. */
export type Capability = z.infer<typeof CapabilitySchema>;

/** The `edrkit-plugin.json` schema. */
export const PluginManifestSchema = z
  .strictObject({
    name: PackageNameSchema,
    version: VersionSchema,
    description: z.string().max(1000).optional(),
    /** The one ES module that exports `onEvent` (and optionally `setup`). */
    entry: PackagePathSchema.refine((p) => p.endsWith('.js') || p.endsWith('.mjs'), 'must be a .js or .mjs file'),
    /** Range of plugin API versions the plugin works with, e.g. `^1.0.0`. */
    api: z.string().refine((r) => semver.validRange(r) !== null, 'must be a semver range such as ^1.0.0'),
    /** Event kinds delivered to the plugin. */
    kinds: z.array(z.enum(EVENT_KINDS)).min(1).refine((k) => new Set(k).size === k.length, 'must not repeat a kind'),
    capabilities: z.array(CapabilitySchema).refine((c) => new Set(c).size === c.length, 'must not repeat a capability'),
    /** JSON Schema (draft 2020-12) of the plugin config, checked within the limits of `config-schema.ts`. */
    configSchema: z.custom<Record<string, unknown>>(isJsonObject, 'must be a JSON Schema object'),
    /** Config used when the operator gives none; must match `configSchema`. */
    defaultConfig: z.unknown(),
    files: FilesSchema,
  })
  .superRefine((m, ctx) => {
    if (!Object.hasOwn(m.files, m.entry)) ctx.addIssue({ code: 'custom', path: ['files'], message: `must list the entry file '${m.entry}'` });
    // zod 4's z.unknown() accepts a missing key; the manifest must state its default config.
  });

/** A validated plugin manifest. */
export type PluginManifest = z.infer<typeof PluginManifestSchema>;

/** Turn zod issues into one message naming every bad field. */
export function describeIssues(error: z.ZodError): string {
  return toEventIssues(error)
    .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * Parse manifest bytes as JSON, refusing oversized input, non-JSON and duplicate keys.
 * @throws {@link PluginError} `ERR_PLUGIN_MANIFEST` or `ERR_PLUGIN_DUPLICATE_KEY` (naming the key and its JSON path).
 */
export function parseJsonDocument(bytes: Uint8Array | string, what: string): unknown {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  if (size > MAX_MANIFEST_BYTES) throw new PluginError('ERR_PLUGIN_MANIFEST', `${what}: larger than ${MAX_MANIFEST_BYTES} bytes`);
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (cause) {
    throw new PluginError('ERR_PLUGIN_MANIFEST', `${what}: not valid JSON (${(cause as Error).message})`, { cause });
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    throw new PluginError('ERR_PLUGIN_DUPLICATE_KEY', `${what}: key '${duplicate.key}' appears twice at ${duplicate.path} (readers would disagree on its value)`);
  }
  return value;
}

/**
 * Parse and validate `edrkit-plugin.json` content.
 * @param where names the manifest in errors (e.g. its path).
 * @throws {@link PluginError} `ERR_PLUGIN_MANIFEST` naming each bad, missing or unknown field,
 *   `ERR_PLUGIN_DUPLICATE_KEY` when a key appears twice in one object.
 */
export function parsePluginManifest(input: Uint8Array | string | object, where = PLUGIN_MANIFEST): PluginManifest {
  const value = typeof input === 'string' || input instanceof Uint8Array ? parseJsonDocument(input, where) : input;
  const result = PluginManifestSchema.safeParse(value);
  if (!result.success) throw new PluginError('ERR_PLUGIN_MANIFEST', `${where}: ${describeIssues(result.error)}`);
  const manifest = result.data;
  if (value !== null && typeof value === 'object' && !Object.hasOwn(value, 'defaultConfig')) {
    throw new PluginError('ERR_PLUGIN_MANIFEST', `${where}: defaultConfig: missing (use {} when the plugin takes no config)`);
  }
  return manifest;
}

/** True when this host's plugin API version satisfies the manifest's `api` range. */
export function apiCompatible(manifest: { api: string }): boolean {
  return semver.satisfies(PLUGIN_API_VERSION, manifest.api);
}
