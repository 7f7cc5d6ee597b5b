/**
 * The input formats `edrkit replay` and `edrkit detect --replay` read: edrkit recordings,
 * and the foreign logs platform packages provide as {@link ImportFormat}s. One entry per
 * format; the name is what `--input-format` takes.
 *
 * @module
 */
import { InvalidArgumentError, type ImportFormat } from '@edrkit/core';

/** The name of edrkit's own recording format (JSON Lines, as `edrkit record` writes). */
export const EDRKIT_INPUT_FORMAT = 'edrkit';

/** Foreign log formats, by name. */
export const IMPORT_FORMATS: ReadonlyMap<string, ImportFormat> = new Map<string, ImportFormat>(
  ([] as ImportFormat[]).map((f) => [f.name, f]),
);

/** Every name `--input-format` accepts, edrkit's own first. */
export function inputFormatNames(): string[] {
  return [EDRKIT_INPUT_FORMAT, ...IMPORT_FORMATS.keys()];
}

/** `--input-format` help text. */
export function inputFormatHelp(): string {
  return `format of the input: ${inputFormatNames().join(', ')}`;
}

/**
 * The import format named by `--input-format`, or undefined for edrkit recordings.
 * @throws InvalidArgumentError naming the accepted formats.
 */
export function parseInputFormat(name: string): ImportFormat | undefined {
  if (name === EDRKIT_INPUT_FORMAT) return undefined;
  const format = IMPORT_FORMATS.get(name);
  if (format) return format;
  const described = [`${EDRKIT_INPUT_FORMAT} (edrkit JSON Lines, as 'edrkit record' writes)`, ...[...IMPORT_FORMATS.values()].map((f) => `${f.name} (${f.description})`)];
  throw new InvalidArgumentError(`--input-format: '${name}' is not supported; supported: ${described.join(', ')}`);
}
