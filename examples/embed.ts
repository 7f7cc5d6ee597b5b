/**
 * A product embedding edrkit: subscribe to process and network events, react to some,
 * stop on a signal or a deadline, and report the sensor's stats (nothing is lost silently).
 *
 *   npx tsx examples/embed.ts                     # live (root), 10 seconds
 *   npx tsx examples/embed.ts recording.jsonl     # over a recording
 */
import { openSensor, type EdrEvent } from 'edrkit';

const recording = process.argv[2];
const seconds = Number(process.env.EMBED_SECONDS ?? 10);

// One AbortController stops everything: Ctrl-C, a deadline, or the product shutting down.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const deadline = setTimeout(() => controller.abort(), seconds * 1000);

const sensor = await openSensor({
  ...(recording ? { backend: 'replay', backendConfig: { path: recording } } : {}),
  kinds: ['process.exec', 'net.connect', 'sensor.lost'],
  maxQueue: 5000,
  signal: controller.signal,
});

// Typed listeners: `e` is narrowed to the kind.
sensor.on('sensor.lost', (e) => console.error(`lost ${e.lost.count} events: ${e.lost.reason}`));

const seen = new Map<string, number>();
try {
  for await (const event of sensor.events({ signal: controller.signal })) {
    handle(event);
  }
} catch (err) {
  if ((err as Error).name !== 'AbortError') throw err;
} finally {
  clearTimeout(deadline);
  await sensor.close();
}

function handle(event: EdrEvent): void {
  if (event.kind === 'process.exec') {
    const name = event.process.exe.split('/').pop() ?? '?';
    seen.set(name, (seen.get(name) ?? 0) + 1);
  } else if (event.kind === 'net.connect') {
    console.log(`connect ${event.process.exe} -> ${event.net.remote.ip}:${event.net.remote.port}`);
  }
}

const top = [...seen].sort((a, b) => b[1] - a[1]).slice(0, 5);
console.log(`top programs: ${top.map(([n, c]) => `${n}×${c}`).join(', ') || 'none'}`);
const s = sensor.stats();
console.log(`stats: delivered=${s.delivered} dropped=${s.dropped.kernel + s.dropped.backend + s.dropped.queue} filtered=${s.filtered}`);
