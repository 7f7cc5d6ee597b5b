/**
 * Path patterns (a plain prefix or a glob) matched the way the event's platform compares
 * paths:
 *
 * - `linux`: case-sensitive, `/` separates, `\` escapes a glob character (`\*`).
 * - `windows`: case-insensitive (letter by letter, simple upper-casing, as NTFS compares
 *   names), `\` and `/` both separate, and `\` is never an escape: Windows names cannot hold
 *   `*` or `?`, and `c:\windows\*` must mean what a Windows user typed. `( ) ! + @` are
 *   literal there too (`C:\Program Files (x86)\`), not extglob syntax.
 * - `macos`: `/` separates and `\` escapes, as on Linux; case-insensitive by default,
 *   because APFS and HFS+ volumes are formatted case-insensitive unless chosen otherwise.
 *   Pass `caseSensitive: true` when the watched volume is case-sensitive APFS.
 *
 * Globs are compiled by {@link compileGlob} (`*` within one component, `**` across
 * components, `?`, `[...]`, `{a,b}`); a pattern without glob characters is a prefix.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { Platform } from '../events/schema.js';
import { compileGlob, escapeRegExp } from './glob.js';

/** How paths are compared on one platform. */
export interface PathRules {
  /** Whether `A` and `a` differ. */
  caseSensitive: boolean;
  /** Whether `\` separates components (otherwise it escapes glob characters). */
  backslashSeparates: boolean;
}

/** The default comparison rules per platform (see the module comment for why). */
export const PATH_RULES: Readonly<Record<Platform, Readonly<PathRules>>> = {
  linux: { caseSensitive: true, backslashSeparates: false },
  macos: { caseSensitive: false, backslashSeparates: false },
  windows: { caseSensitive: false, backslashSeparates: true },
};

/** Options of {@link compilePathMatcher}. */
export interface PathMatcherOptions {
  /** Override the platform's case rule (e.g. `true` for a case-sensitive APFS volume). */
  caseSensitive?: boolean;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** True when `pattern` is a glob rather than a plain prefix. */
export function isGlobPattern(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/**
 * Compile a prefix-or-glob list into one matcher for paths of `platform`. Throws
 * {@link InvalidArgumentError} naming `option` when an entry is not a non-empty string.
 */
export function compilePathMatcher(
  patterns: readonly string[],
  option: string,
  platform: Platform,
  options: PathMatcherOptions = {},
): (path: string) => boolean {
  const rules = PATH_RULES[platform];
  const caseSensitive = options.caseSensitive ?? rules.caseSensitive;
  const normalize = rules.backslashSeparates ? (s: string) => s.replaceAll('\\', '/') : (s: string) => s;
  const tests = patterns.map((p): ((s: string) => boolean) => {
    if (typeof p !== 'string' || p.length === 0) {
      throw new InvalidArgumentError(`filter.${option}: expected non-empty strings, got ${JSON.stringify(p)}`);
    }
    const pattern = normalize(p);
    if (isGlobPattern(pattern)) {
      const re = compileGlob(p, option, { backslashSeparates: rules.backslashSeparates, caseSensitive });
      return (s) => re.test(s);
    }
    if (caseSensitive) return (s) => s.startsWith(pattern);
    // The same case folding as a glob (a RegExp with the `iu` flags), so a prefix and a glob
    // never disagree on whether two letters are the same.
    const re = new RegExp(`^${escapeRegExp(pattern)}`, 'iu');
    return (s) => re.test(s);
  });
  return (s) => {
    const path = normalize(s);
    return tests.some((t) => t(path));
  };
}
