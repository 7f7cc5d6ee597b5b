/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports `run()` returning table rows)
 * and prints one table per benchmark. Speed and memory goals are checked here, never by
 * timed assertions in tests. `npm run bench -- sigma` runs only names containing "sigma".
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Row = Record<string, string | number>;
const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

function printTable(title: string, rows: Row[]): void {
  console.log(`\n## ${title}\n`);
  if (!rows.length) return console.log('(no rows)');
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2)) : String(v ?? ''));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(cols));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

let failed = 0;
for (const f of files) {
  const started = performance.now();
  try {
    const mod = (await import(new URL(f, import.meta.url).href)) as { run: () => Promise<Row[]> };
    const rows = await mod.run();
    printTable(`${f.replace('.bench.ts', '')} (${((performance.now() - started) / 1000).toFixed(1)}s)`, rows);
  } catch (err) {
    failed++;
    console.log(`\n## ${f}: FAILED — ${(err as Error).message}`);
  }
}
process.exitCode = failed ? 1 : 0;
