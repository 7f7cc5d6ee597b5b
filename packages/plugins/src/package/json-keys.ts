/**
 * Duplicate-key detection for JSON text. `JSON.parse` silently keeps the last of two equal
 * keys, so a signed manifest could say `"name": "a"` to one reader and `"name": "b"` to
 * another (a parser that keeps the first). edrkit refuses such documents instead.
 *
 * This is a token-level scan, not a parser: it runs only on text that `JSON.parse` has
 * already accepted, so it can assume valid syntax and only has to track which keys each
 * object has seen. It is iterative (no recursion), so deep nesting cannot overflow the stack.
 * Keys are compared after unescaping (`"\u0061"` and `"a"` are the same key).
 *
 * @module
 */

/** A key that occurs twice in the same JSON object. */
export interface DuplicateKey {
  /** The decoded key. */
  readonly key: string;
  /** JSON path of the second occurrence, e.g. `$.files["index.js"]`. */
  readonly path: string;
}

interface Frame {
  readonly object: boolean;
  readonly path: string;
  /** Keys seen so far (objects only). */
  readonly keys: Set<string>;
  /** Current key (objects) — the path segment of the value being read. */
  key: string;
  /** Current element index (arrays). */
  index: number;
  /** True right after `{` or `,` in an object: the next string is a key. */
  expectKey: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** One JSON-path segment for an object key. */
function keySegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** Index just past the string token that starts at `start` (a `"`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22 /* " */) return i + 1;
    else i += 1;
  }
  return text.length;
}

/**
 * The first key that occurs twice in one object of `text`, or `undefined`.
 * @param text JSON text that `JSON.parse` accepts (behaviour on invalid JSON is unspecified,
 *   but it never throws and always terminates).
 */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const stack: Frame[] = [];
  const valuePath = (): string => {
    const top = stack[stack.length - 1];
    if (top === undefined) return '$';
    return top.object ? top.path + keySegment(top.key) : `${top.path}[${top.index}]`;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    switch (c) {
      case '{':
      case '[':
        stack.push({ object: c === '{', path: valuePath(), keys: new Set(), key: '', index: 0, expectKey: c === '{' });
        i += 1;
        break;
      case '}':
      case ']':
        stack.pop();
        i += 1;
        break;
      case ',': {
        const top = stack[stack.length - 1];
        if (top?.object) top.expectKey = true;
        else if (top) top.index += 1;
        i += 1;
        break;
      }
      case '"': {
        const end = stringEnd(text, i);
        const top = stack[stack.length - 1];
        if (top?.object && top.expectKey) {
          let key: string;
          try {
            key = JSON.parse(text.slice(i, end)) as string;
          } catch {
            key = text.slice(i + 1, end - 1);
          }
          if (top.keys.has(key)) return { key, path: top.path + keySegment(key) };
          top.keys.add(key);
          top.key = key;
          top.expectKey = false;
        }
        i = end;
        break;
      }
      default:
        // Whitespace, ':' and the characters of numbers, true, false and null.
        i += 1;
    }
  }
  return undefined;
}
