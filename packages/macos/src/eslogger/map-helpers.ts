/**
 * Readers the event mappers share: the JSON readers, and `es_file_t` paths (ES writes a file
 * as `{ path, path_truncated, stat }`; a truncated path is kept as given and flagged in raw).
 *
 * @module
 */
import { EsRecordError } from './record-error.js';
import { join, obj, optObj, str, type Json } from './json-read.js';

export * from './json-read.js';

/** The path of the `es_file_t` at `o[key]`. */
export function filePathOf(o: Json, key: string, path: string): string {
  return str(obj(o, key, path), 'path', join(path, key));
}

/** The path of the `es_file_t` at `o[key]`, or undefined when absent or null. */
export function optFilePathOf(o: Json, key: string, path: string): string | undefined {
  const f = optObj(o, key, path);
  return f ? str(f, 'path', join(path, key)) : undefined;
}

/** `dir` + `/` + `filename` (ES's "new path" form of a destination). */
export function joinPath(dir: string, filename: string): string {
  return dir.endsWith('/') ? `${dir}${filename}` : `${dir}/${filename}`;
}

/**
 * The destination of create and rename: `destination_type` 0 names an existing file
 * (`destination.existing_file`), 1 a new path (`destination.new_path` { dir, filename }).
 * eslogger writes the union under `destination`; the key present decides, the type is checked.
 */
export function destinationPath(ev: Json, at: string): string {
  const dest = obj(ev, 'destination', at);
  const destAt = join(at, 'destination');
  if (dest['existing_file'] !== undefined && dest['existing_file'] !== null) return filePathOf(dest, 'existing_file', destAt);
  const np = optObj(dest, 'new_path', destAt);
  if (np) return joinPath(filePathOf(np, 'dir', join(destAt, 'new_path')), str(np, 'filename', join(destAt, 'new_path')));
  throw new EsRecordError(destAt, 'expected existing_file or new_path');
}
