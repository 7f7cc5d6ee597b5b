import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { loadRules, RuleSet } from './src/index.js';
const depth = Number(process.argv[2] ?? 0);
if (depth) {
  try { const d = parseAllDocuments('a: ' + '['.repeat(depth) + ']'.repeat(depth)); console.log('parsed', (d as any)[0].errors.length); (d as any)[0].toJS(); console.log('toJS ok'); } catch (e) { console.log('err', (e as Error).message); }
  process.exit(0);
}
globalThis.gc?.();
const before = process.memoryUsage();
const t = performance.now();
const rules = await loadRules(['/tmp/rule100k.yml']);
const set = new RuleSet(rules);
globalThis.gc?.();
const after = process.memoryUsage();
console.log(rules[0]!.status, rules[0]!.reason, 'ms', Math.round(performance.now() - t), 'heapUsed MB', ((after.heapUsed - before.heapUsed) / 1e6).toFixed(1), 'rss MB', (after.rss / 1e6).toFixed(0), set.rules.length);
