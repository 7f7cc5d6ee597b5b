/**
 * Strict base64 and line handling shared by the minisign key and signature parsers.
 * Node's `Buffer.from(s, 'base64')` silently skips junk; these parsers handle untrusted
 * input, so anything that is not canonical base64 of the exact expected length is refused.
 *
 * @module
 */
import { PluginError, type PluginErrorCode } from '../errors.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decode canonical base64 of exactly `length` bytes, or throw `code` naming `what`. */
export function decodeBase64Exact(text: string, length: number, what: string, code: PluginErrorCode): Buffer {
  if (!BASE64.test(text) || text.length % 4 !== 0) {
    throw new PluginError(code, `${what}: not valid base64`);
  }
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== length || bytes.toString('base64') !== text) {
    throw new PluginError(code, `${what}: expected ${length} bytes of base64, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * Split a small text file into lines the way minisign reads them with fgets+trim:
 * `\n` separates lines and trailing `\r`/`\n` are dropped.
 */
export function splitLines(text: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  // A final newline leaves one empty element; it is not a line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Largest key or signature file the parsers accept (minisign's own limit is ~8 KiB of comments). */
export const MAX_SMALL_FILE = 16 * 1024;

/** Turn file content (bytes or text) into text, refusing huge or binary input with `code`. */
export function smallText(input: string | Uint8Array, what: string, code: PluginErrorCode): string {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (text.length > MAX_SMALL_FILE) throw new PluginError(code, `${what}: larger than ${MAX_SMALL_FILE} bytes`);
  if (text.includes('\0')) throw new PluginError(code, `${what}: contains a NUL byte (not a text file)`);
  return text;
}
