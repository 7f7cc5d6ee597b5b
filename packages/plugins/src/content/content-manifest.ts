/**
 * The content pack manifest, `edrkit-content.json`: signed data (Sigma rule sets, IOC
 * lists, …) that a plugin or the host consumes. It is signed exactly like a plugin, and
 * rolled out in stages (see `rollout.ts`).
 *
 * @module
 */
import { z } from 'zod';
import { PluginError } from '../errors.js';
import { CONTENT_MANIFEST, describeIssues, FilesSchema, PackageNameSchema, parseJsonDocument, VersionSchema } from '../package/manifest.js';
import { verifyPackage, type ManifestKind, type VerifiedPackage, type VerifyOptions } from '../package/verify.js';

/** The `edrkit-content.json` schema. */
export const ContentManifestSchema = z.strictObject({
  name: PackageNameSchema,
  version: VersionSchema,
  description: z.string().max(1000).optional(),
  /** What the files are: `sigma` (YAML Sigma rules), `json`, `text`. */
  format: z.enum(['sigma', 'json', 'text']),
  files: FilesSchema.refine((f) => Object.keys(f).length > 0, 'a content pack needs at least one file'),
});
/** A validated content pack manifest. */
export type ContentManifest = z.infer<typeof ContentManifestSchema>;

/** A verified content pack. */
export type ContentPack = VerifiedPackage<ContentManifest> & { readonly type: 'content' };

/**
 * Parse and validate `edrkit-content.json` content.
 * @throws {@link PluginError} `ERR_PLUGIN_MANIFEST` naming each bad, missing or unknown field.
 */
export function parseContentManifest(input: Uint8Array | string | object, where = CONTENT_MANIFEST): ContentManifest {
  const value = typeof input === 'string' || input instanceof Uint8Array ? parseJsonDocument(input, where) : input;
  const result = ContentManifestSchema.safeParse(value);
  if (!result.success) throw new PluginError('ERR_PLUGIN_MANIFEST', `${where}: ${describeIssues(result.error)}`);
  return result.data;
}

/** The content manifest kind for {@link verifyPackage}. */
export const contentManifestKind: ManifestKind<ContentManifest> = {
  type: 'content',
  fileName: CONTENT_MANIFEST,
  parse: (bytes, where) => parseContentManifest(bytes, where),
};

/**
 * Read and verify the content pack in `dir` (same checks as a plugin: signature, trust,
 * revocation, quarantine, anti-rollback, file digests).
 */
export function loadContentPack(dir: string, options: VerifyOptions): ContentPack {
  return verifyPackage(dir, contentManifestKind, options) as ContentPack;
}
