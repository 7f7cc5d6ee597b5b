/**
 * Sensor hot path: events per second from a backend batch to a consumer, and memory
 * held per queued event (the cost of a full maxQueue).
 */
import { openSensor } from '@edrkit/core';
import { MemoryBackend, execDraft } from '@edrkit/core/testing';

async function throughput(batch: number, total: number, overflow: 'drop-newest' | 'drop-oldest') {
  const backend = new MemoryBackend();
  const sensor = await openSensor({ backend, maxQueue: 10_000, overflow });
  const it = sensor.events();
  let busy = 0; // time inside the sensor only: building the drafts is the producer's cost
  let got = 0;
  for (let sent = 0; sent < total; sent += batch) {
    const drafts = Array.from({ length: batch }, (_, i) => execDraft(10_000 + ((sent + i) % 500), '/usr/bin/true', ['true']));
    const started = performance.now();
    backend.emit(drafts);
    await backend.ready();
    for (let i = 0; i < batch; i++) {
      const r = await it.next();
      if (r.done) break;
      got++;
    }
    busy += performance.now() - started;
  }
  const secs = busy / 1000;
  await sensor.close();
  return { scenario: `batch ${batch}, ${overflow}`, events: got, 'events/s': Math.round(got / secs), 'µs/event': (secs * 1e6) / got };
}

async function memoryPerQueued(n: number) {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const backend = new MemoryBackend();
  const sensor = await openSensor({ backend, maxQueue: n });
  sensor.events(); // a consumer that never reads: the queue fills to maxQueue
  for (let i = 0; i < n; i += 1000) backend.emit(Array.from({ length: 1000 }, (_, j) => execDraft(20_000 + i + j, '/usr/bin/true', ['true', '-x'])));
  globalThis.gc?.();
  const after = process.memoryUsage().heapUsed;
  const stats = sensor.stats();
  await sensor.close();
  return { scenario: `${n} queued events`, events: stats.queued, 'bytes/event': Math.round((after - before) / n), note: globalThis.gc ? 'after gc' : 'run node --expose-gc for exact numbers' };
}

export async function run() {
  return [
    await throughput(1, 100_000, 'drop-newest'),
    await throughput(256, 1_000_000, 'drop-newest'),
    await throughput(256, 1_000_000, 'drop-oldest'),
    await memoryPerQueued(50_000),
  ];
}
