/**
 * Regenerates demo.jsonl: records, live (root), the process tree of scenario.sh and nothing
 * else, then writes it as an edrkit recording. Also records other scenarios (the starter
 * rule pack's examples) when given one, optionally limited to some kinds.
 *
 *   npm run record:demo            # as root; see scripts/record-demo.sh
 *   npx tsx examples/recordings/record-demo.ts OUT.jsonl SCENARIO.sh [kind,kind…]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { RecordingWriter, openSensor, type EdrEvent, type EventKind } from 'edrkit';

const here = fileURLToPath(new URL('.', import.meta.url));
const out = process.argv[2] ?? `${here}demo.jsonl`;
// Relative to the repository root, so the recording names no checkout path.
const scenario = process.argv[3] ?? 'examples/recordings/scenario.sh';
const kinds = process.argv[4]?.split(',') as EventKind[] | undefined;

const sensor = await openSensor(kinds ? { kinds } : {});
const events: EdrEvent[] = [];
const collecting = (async () => {
  for await (const e of sensor) events.push(e);
})();

const child = spawn('sh', [scenario], { stdio: 'inherit', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
await once(child, 'exit');
await new Promise((r) => setTimeout(r, 500)); // let the last exit events arrive
await sensor.close();
await collecting;

// Keep the scenario's process tree: the shell, then every process it forked or that execs under it.
const tree = new Set<number>([child.pid ?? -1]);
const kept = events.filter((e) => {
  if (e.kind === 'sensor.lost') return true;
  if (!tree.has(e.process.pid) && !tree.has(e.process.ppid)) return false;
  tree.add(e.process.pid);
  if (e.kind === 'process.fork') tree.add(e.child.pid);
  return true;
});
const writer = new RecordingWriter(out);
let seq = 0;
for (const e of kept) await writer.write({ ...e, seq: ++seq });
await writer.close();
console.error(`record-demo: ${kept.length} of ${events.length} events written to ${out}`);
