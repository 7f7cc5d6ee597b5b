// Every `ERR_…` code in the package sources is in the closed `ErrorCode` union (checked by the
// TypeScript compiler over a generated file) and in docs/errors.md.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
// Codes that Node itself sets on its errors; edrkit only reads them, it never throws them.
const NODE_CODES = new Set(['ERR_MODULE_NOT_FOUND']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.test-d.ts') ? [p] : [];
  });
}

function codesInUse(): string[] {
  const codes = new Set<string>();
  for (const pkg of readdirSync(join(root, 'packages'))) {
    for (const file of sources(join(root, 'packages', pkg, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'(ERR_[A-Z_]+)'/g)) if (!NODE_CODES.has(m[1]!)) codes.add(m[1]!);
    }
  }
  return [...codes].sort();
}

describe('error codes', () => {
  const codes = codesInUse();

  it('finds the codes (the grep works)', () => {
    expect(codes).toEqual(expect.arrayContaining(['ERR_PERMISSION', 'ERR_QUEUE_OVERFLOW', 'ERR_INVALID_RECORD', 'ERR_PLUGIN_TAMPERED', 'ERR_SIGMA_INVALID']));
  });

  it('every code in use is documented in docs/errors.md', () => {
    const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
    expect(codes.filter((c) => !doc.includes(`| \`${c}\` |`))).toEqual([]);
  });

  it('every code in use is in the ErrorCode union, which is closed', () => {
    const dir = mkdtempSync(join(root, 'node_modules/.edrkit-codes-'));
    const file = join(dir, 'codes.ts');
    // Importing the packages brings their `declare module '@edrkit/core'` augmentations in.
    writeFileSync(
      file,
      [
        "import type { ErrorCode } from '@edrkit/core';",
        "import type {} from '@edrkit/plugins';",
        "import type {} from '@edrkit/sigma';",
        "import type {} from '@edrkit/windows';",
        "import type {} from '@edrkit/output';",
        "import type {} from '@edrkit/linux';",
        `export const inUse: ErrorCode[] = ${JSON.stringify(codes)};`,
        "// @ts-expect-error the union is closed: an unknown code does not type-check",
        "export const unknown: ErrorCode = 'ERR_NO_SUCH_CODE';",
      ].join('\n'),
    );
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      customConditions: ['@edrkit/source'],
      types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    rmSync(dir, { recursive: true, force: true });
    expect(problems).toEqual([]);
  }, 60_000);
});
