/**
 * Catches drift between native/linux/edrkit.h and decode/layout.ts twice: by computing the C
 * layout from the header text (no compiler needed), and, when the addon is built, by comparing
 * with the sizeof/offsetof values the host compiler produced.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadAddon } from '../native/load-addon.js';
import { ABI_VERSION, CAPS, LAYOUT } from './layout.js';

const headerPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../native/linux/edrkit.h');
const header = readFileSync(headerPath, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

const defines = new Map<string, number>();
for (const m of header.matchAll(/^#define\s+(\w+)\s+(\d+)\s*$/gm)) defines.set(m[1]!, Number(m[2]));

const PRIM: Record<string, number> = { __u8: 1, char: 1, __u16: 2, __s16: 2, __u32: 4, __s32: 4, __u64: 8, __s64: 8 };
const structs = new Map<string, { size: number; align: number; fields: Map<string, number> }>();

/** Lay out each struct with the C rules for naturally aligned fixed-size types. */
for (const m of header.matchAll(/struct\s+(\w+)\s*\{([^}]*)\};/g)) {
  const [, name, body] = m;
  let off = 0;
  let align = 1;
  const fields = new Map<string, number>();
  for (const line of body!.split(';').map((l) => l.trim()).filter(Boolean)) {
    const f = /^(struct\s+\w+|\w+)\s+(\w+)(?:\[(\w+)\])?$/.exec(line);
    if (!f) throw new Error(`edrkit.h: cannot parse field '${line}' of struct ${name}`);
    const [, type, field, count] = f;
    const inner = type!.startsWith('struct ') ? structs.get(type!.slice(7)) : undefined;
    const size = inner?.size ?? PRIM[type!];
    const a = inner?.align ?? PRIM[type!];
    if (size === undefined || a === undefined) throw new Error(`edrkit.h: unknown type ${type} in struct ${name}`);
    const n = count === undefined ? 1 : /^\d+$/.test(count) ? Number(count) : defines.get(count);
    if (n === undefined) throw new Error(`edrkit.h: unknown array size ${count}`);
    off = Math.ceil(off / a) * a;
    fields.set(field!, off);
    off += size * n;
    align = Math.max(align, a);
  }
  structs.set(name!, { size: Math.ceil(off / align) * align, align, fields });
}

function layoutFromHeader(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(LAYOUT)) {
    const [s, f] = key.split('.');
    const st = structs.get(s!);
    if (!st) continue;
    const v = f === undefined ? st.size : st.fields.get(f);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

describe('edrkit.h <-> decoder layout', () => {
  it('every offset and size in layout.ts matches the header', () => {
    expect(layoutFromHeader()).toEqual({ ...LAYOUT });
  });

  it('every struct is a multiple of 8 bytes (same layout for BPF and the host)', () => {
    for (const [name, s] of structs) expect(s.size % 8, name).toBe(0);
  });

  it('capacities and the ABI version match the header', () => {
    for (const [k, v] of Object.entries(CAPS)) expect(defines.get(k), k).toBe(v);
    expect(defines.get('EDRKIT_ABI_VERSION')).toBe(ABI_VERSION);
  });

  let addon: ReturnType<typeof loadAddon> | undefined;
  try {
    addon = loadAddon();
  } catch {
    addon = undefined;
  }
  it.skipIf(!addon)(`the compiled addon agrees (sizeof/offsetof from the C compiler)${addon ? '' : ' (skipped: addon not built; npm run build:native)'}`, () => {
    const compiled = addon!.layout();
    expect(compiled.EDRKIT_ABI_VERSION).toBe(ABI_VERSION);
    for (const [k, v] of Object.entries(LAYOUT)) expect(compiled[k], k).toBe(v);
  });
});
