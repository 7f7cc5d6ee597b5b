/**
 * A researcher's quick hunt over a recording: programs that run from a world-writable
 * directory (/tmp, /dev/shm, /var/tmp) after being written there, and shells whose parent
 * is a network-facing program. Prints one finding per line, with the lineage.
 *
 *   npx edrkit record -o rec.jsonl --duration 60     # as root
 *   npx tsx examples/hunt.ts rec.jsonl
 */
import { ReplayBackend, openSensor, type EdrEvent } from 'edrkit';

const file = process.argv[2];
if (!file) {
  console.error('usage: hunt.ts RECORDING.jsonl');
  process.exit(2);
}

const WRITABLE = /^\/(tmp|dev\/shm|var\/tmp)\//;
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh']);
const INTERPRETERS = /^((ba|da|z)?sh|python[\d.]*|perl|ruby|node)$/;
const NETWORK_FACING = new Set(['nginx', 'apache2', 'httpd', 'node', 'python3', 'php-fpm', 'java']);

const written = new Set<string>();
const findings: string[] = [];
const base = (p: string) => p.slice(p.lastIndexOf('/') + 1);

const sensor = await openSensor({ backend: new ReplayBackend({ path: file, onInvalid: 'skip' }), kinds: ['process.exec', 'file.create', 'file.modify', 'file.rename'] });
for await (const e of sensor) check(e);

function check(e: EdrEvent): void {
  if (e.kind === 'file.create' || e.kind === 'file.modify') written.add(e.file.path);
  if (e.kind === 'file.rename') written.add(e.target.path);
  if (e.kind !== 'process.exec') return;
  const parent = e.process.parent;
  // A script run from /tmp has the interpreter as its image: look at the arguments too.
  const script = INTERPRETERS.test(base(e.process.exe)) ? e.process.args[1] : undefined;
  const image = WRITABLE.test(e.process.exe) ? e.process.exe : script && WRITABLE.test(script) ? script : undefined;
  if (image) {
    const dropped = written.has(image) ? ' (written during the recording)' : '';
    findings.push(`exec-from-writable-dir: ${e.process.cmdline} [pid ${e.process.pid}] ← ${parent?.exe ?? '?'}${dropped}`);
  }
  if (SHELLS.has(base(e.process.exe)) && parent && NETWORK_FACING.has(base(parent.exe))) {
    findings.push(`shell-from-network-facing-parent: ${e.process.cmdline} ← ${parent.exe} (${parent.pid})`);
  }
}

for (const f of findings) console.log(f);
console.error(`hunt: ${findings.length} finding(s) in ${sensor.stats().delivered} events`);
