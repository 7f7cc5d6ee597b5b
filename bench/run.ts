/**
 * `npm run bench`: runs every bench/*.bench.ts and prints one table per benchmark (or per
 * section a suite returns). Speed and memory goals are checked here, never by timed
 * assertions in tests.
 *
 *   npm run bench                      every suite
 *   npm run bench -- sigma pipeline    only suites whose file name contains one of the words
 *   npm run bench -- --quick           smaller workloads, one repetition (under 3 minutes)
 *   npm run bench -- --json out.json   also write the issue-18 figures (bench/lib/results.ts)
 *
 * A suite's `run({ quick })` returns rows, or `{ rows?, tables?, results? }` where `results`
 * holds its part of the JSON file.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emptyResults, mergeResults, type PartialResults } from './lib/results.js';

type Row = Record<string, string | number>;
type Table = { title: string; rows: Row[] };
type SuiteResult = Row[] | { rows?: Row[]; tables?: Table[]; results?: PartialResults };

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
if (jsonAt >= 0 && (!jsonFile || jsonFile.startsWith('-'))) {
  console.error('bench: --json needs a file name (npm run bench -- --json results.json)');
  process.exit(2);
}
const only = args.filter((a, i) => !a.startsWith('-') && !(jsonAt >= 0 && i === jsonAt + 1));
const dir = fileURLToPath(new URL('.', import.meta.url));
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

const results = emptyResults();
const startedAll = performance.now();
let failed = 0;
for (const f of files) {
  const started = performance.now();
  const name = f.replace('.bench.ts', '');
  try {
    const mod = (await import(new URL(f, import.meta.url).href)) as { run: (opts: { quick: boolean }) => Promise<SuiteResult> };
    const out = await mod.run({ quick });
    const took = `${((performance.now() - started) / 1000).toFixed(1)}s`;
    if (Array.isArray(out)) printTable(`${name} (${took})`, out);
    else {
      if (out.rows) printTable(`${name} (${took})`, out.rows);
      for (const t of out.tables ?? []) printTable(`${name}: ${t.title}${out.rows ? '' : ` (${took})`}`, t.rows);
      if (out.results) mergeResults(results, out.results);
    }
  } catch (err) {
    failed++;
    console.log(`\n## ${f}: FAILED — ${(err as Error).stack ?? (err as Error).message}`);
  }
}
console.log(`\nbench: ${files.length} suites in ${((performance.now() - startedAll) / 1000).toFixed(1)}s${quick ? ' (--quick)' : ''}; the machine is shared, so compare figures within one run`);
if (jsonFile) {
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`bench: results written to ${jsonFile}`);
}
// Exit now: a failed suite may have left a child or a sensor holding the event loop open.
process.exit(failed ? 1 : 0);
