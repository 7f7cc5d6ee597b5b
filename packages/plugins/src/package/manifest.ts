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

/** Digests of every package file except the manifest and its signature. */
export const FilesSchema = z
  .record(PackagePathSchema, DigestSchema)
  .refine((files) => Object.keys(files).length <= 1000, 'at most 1000 files')
  .refine((files) => !Object.keys(files).some((f) => RESERVED_FILES.has(f)), 'must not list the manifest or its signature');

/** What a plugin may do; the host refuses calls that were not declared. */
export const CapabilitySchema = z.enum(['alert', 'log']);
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
    /** JSON Schema (draft 2020-12 subset that zod understands) of the plugin config. */
    configSchema: z.record(z.string(), z.unknown()),
    /** Config used when the operator gives none; must match `configSchema`. */
    defaultConfig: z.unknown(),
    files: FilesSchema,
  })
  .superRefine((m, ctx) => {
    if (!(m.entry in m.files)) ctx.addIssue({ code: 'custom', path: ['files'], message: `must list the entry file '${m.entry}'` });
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

/** Parse manifest bytes as JSON, refusing oversized or non-UTF-8/JSON input. */
export function parseJsonDocument(bytes: Uint8Array | string, what: string): unknown {
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  if (size > MAX_MANIFEST_BYTES) throw new PluginError('ERR_PLUGIN_MANIFEST', `${what}: larger than ${MAX_MANIFEST_BYTES} bytes`);
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new PluginError('ERR_PLUGIN_MANIFEST', `${what}: not valid JSON (${(cause as Error).message})`, { cause });
  }
}

/**
 * Parse and validate `edrkit-plugin.json` content.
 * @param where names the manifest in errors (e.g. its path).
 * @throws {@link PluginError} `ERR_PLUGIN_MANIFEST` naming each bad, missing or unknown field.
 */
export function parsePluginManifest(input: Uint8Array | string | object, where = PLUGIN_MANIFEST): PluginManifest {
  const value = typeof input === 'string' || input instanceof Uint8Array ? parseJsonDocument(input, where) : input;
  const result = PluginManifestSchema.safeParse(value);
  if (!result.success) throw new PluginError('ERR_PLUGIN_MANIFEST', `${where}: ${describeIssues(result.error)}`);
  const manifest = result.data;
  if (value !== null && typeof value === 'object' && !('defaultConfig' in value)) {
    throw new PluginError('ERR_PLUGIN_MANIFEST', `${where}: defaultConfig: missing (use {} when the plugin takes no config)`);
  }
  return manifest;
}

/** True when this host's plugin API version satisfies the manifest's `api` range. */
export function apiCompatible(manifest: { api: string }): boolean {
  return semver.satisfies(PLUGIN_API_VERSION, manifest.api);
}
