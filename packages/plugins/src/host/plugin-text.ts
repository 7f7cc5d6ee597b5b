/**
 * Text a plugin wrote, made safe for an operator's terminal and for line-based logs: every
 * control character (C0, DEL, C1 — so no ANSI escape sequences and no CR/LF), Unicode line
 * separators and bidirectional overrides (which can reorder what the operator reads) is
 * shown as a visible escape, and the result is one line of bounded length. Plugins cannot
 * forge a host line ("plugin … failed") or clear the screen.
 *
 * @module
 */

// C0 controls, DEL, C1 controls, U+2028/2029, bidi embeddings/overrides/isolates, BOM.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/gu;

function escapeChar(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` as one printable line of at most `max` characters (an ellipsis marks a cut). */
export function pluginText(text: string, max = 2_000): string {
  const clipped = text.length > max * 4 ? text.slice(0, max * 4) : text;
  const safe = clipped.replace(UNSAFE, escapeChar);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}
