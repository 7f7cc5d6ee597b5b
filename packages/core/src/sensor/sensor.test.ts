import { describe, expect, it } from 'vitest';
import type { EdrEvent, EventDraft } from '../events/schema.js';
import { parseEvent } from '../events/parse.js';
import { MemoryBackend, execDraft } from '../testing/memory-backend.js';
import { openSensor } from './open-sensor.js';

function drafts(n: number, start = 0): EventDraft[] {
  return Array.from({ length: n }, (_, i) => execDraft(1000 + start + i, `/usr/bin/t${start + i}`));
}

const lostTotal = (events: EdrEvent[]) =>
  events.reduce((n, e) => n + (e.kind === 'sensor.lost' ? e.lost.count : 0), 0);
/** The backend's events: without the sensor's own loss markers and start/stop events. */
const real = (events: EdrEvent[]) => events.filter((e): e is Exclude<EdrEvent, { kind: `sensor.${string}` }> => !e.kind.startsWith('sensor.'));

describe('Sensor', () => {
  it('overflow: fast producer, slow consumer, small maxQueue -> delivered + counted drops == produced', async () => {
    for (const overflow of ['drop-newest', 'drop-oldest'] as const) {
      const backend = new MemoryBackend();
      const sensor = await openSensor({ backend, maxQueue: 8, overflow });
      const it = sensor.events();
      const got: EdrEvent[] = [];
      const produced = 1000;
      let sent = 0;
      // Produce in bursts far faster than the consumer takes (one event per burst).
      while (sent < produced) {
        backend.emit(drafts(50, sent));
        sent += 50;
        const r = await it.next();
        if (!r.done) got.push(r.value);
      }
      backend.end();
      for (let r = await it.next(); !r.done; r = await it.next()) got.push(r.value);
      const stats = sensor.stats();
      expect(real(got).length + lostTotal(got), overflow).toBe(produced);
      expect(stats.delivered + stats.dropped.queue).toBe(produced);
      expect(stats.dropped.queue).toBe(lostTotal(got));
      expect(stats.dropped.queue).toBeGreaterThan(0);
      for (const e of got) expect(() => parseEvent(e)).not.toThrow();
      // Seqs strictly increase in delivery order for drop-newest (markers sit where the loss was).
      if (overflow === 'drop-newest') {
        const seqs = got.map((e) => e.seq);
        expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      } else {
        // drop-oldest keeps the freshest events: the last one produced is delivered.
        expect(real(got).at(-1)?.process.pid).toBe(1000 + produced - 1);
      }
    }
  });

  it("overflow 'error' ends the iteration with ERR_QUEUE_OVERFLOW after the queued events", async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, maxQueue: 4, overflow: 'error' });
    const it = sensor.events();
    backend.emit(drafts(10));
    const seen: EdrEvent[] = [];
    const err = await (async () => {
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) seen.push(r.value);
      } catch (e) {
        return e as { code?: string };
      }
    })();
    // sensor.start sits outside the capacity; the 4 queued events still come before the error.
    expect(seen.map((e) => e.kind)).toEqual(['sensor.start', ...Array(4).fill('process.exec')]);
    expect(err?.code).toBe('ERR_QUEUE_OVERFLOW');
  });

  it('reports kernel loss as sensor.lost events and in stats', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend });
    const it = sensor.events();
    backend.emit(drafts(2));
    backend.loseKernel(7);
    backend.end();
    const got: EdrEvent[] = [];
    for await (const e of it) got.push(e);
    expect(got.map((e) => e.kind)).toEqual(['sensor.start', 'process.exec', 'process.exec', 'sensor.lost', 'sensor.stop']);
    const lost = got[3];
    expect(lost?.kind === 'sensor.lost' && lost.lost).toEqual({ count: 7, reason: 'ring buffer full', stage: 'kernel' });
    expect(sensor.stats().dropped.kernel).toBe(7);
  });

  it('abort ends iteration with an AbortError and closes the backend', async () => {
    const backend = new MemoryBackend();
    const ac = new AbortController();
    const sensor = await openSensor({ backend, signal: ac.signal });
    const pending = (async () => {
      for await (const _ of sensor.events()) {
        /* wait */
      }
    })();
    setTimeout(() => ac.abort(), 10);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    await sensor.done;
    expect(backend.running).toBe(false);
  });

  it('a per-iterator signal aborts only that iterator', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend });
    const ac = new AbortController();
    ac.abort();
    await expect(sensor.events({ signal: ac.signal }).next()).rejects.toMatchObject({ name: 'AbortError' });
    expect(sensor.open).toBe(true);
    await sensor.close();
  });

  it('close() ends iterators after they drain; asyncDispose closes', async () => {
    const backend = new MemoryBackend();
    let seen = 0;
    {
      await using sensor = await openSensor({ backend });
      const it = sensor.events();
      backend.emit(drafts(3));
      await sensor.close();
      for await (const e of it) if (e.kind === 'process.exec') seen++;
    }
    expect(seen).toBe(3);
    expect(backend.running).toBe(false);
  });

  it('on(kind) delivers only that kind; listener errors become warnings, not crashes', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend });
    const execs: string[] = [];
    const warnings: Error[] = [];
    sensor.on('process.exec', (e) => execs.push(e.process.exe));
    sensor.on('process.exit', () => {
      throw new Error('listener bug');
    });
    sensor.on('warning', (w) => warnings.push(w));
    backend.emit([
      execDraft(10, '/bin/a'),
      { kind: 'process.exit', time: 1, platform: 'linux', source: 'linux-ebpf', exitCode: 0, process: { pid: 10, ppid: 1, exe: '/bin/a', args: [], cmdline: '' } },
      execDraft(11, '/bin/b'),
    ]);
    await new Promise((r) => setImmediate(r));
    expect(execs).toEqual(['/bin/a', '/bin/b']);
    expect(warnings[0]?.message).toMatch(/'process.exit' listener threw: listener bug/);
    await sensor.close();
  });

  it('warnings a backend raises during start() reach the first warning listener', async () => {
    class WarnsAtStart extends MemoryBackend {
      override async start(options: unknown, sink: Parameters<MemoryBackend['start']>[1]): Promise<void> {
        await super.start(options, sink);
        sink.warn(new Error('channel Microsoft-Windows-Sysmon/Operational is missing'));
      }
    }
    const sensor = await openSensor({ backend: new WarnsAtStart() });
    const warnings: string[] = [];
    sensor.on('warning', (w) => warnings.push(w.message));
    await new Promise((r) => setImmediate(r));
    expect(warnings).toEqual(['channel Microsoft-Windows-Sysmon/Operational is missing']);
    expect(sensor.stats().warnings).toBe(1);
    await sensor.close();
  });

  it('events arriving before the first consumer are kept for it', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend });
    backend.emit(drafts(5));
    backend.end();
    const got: EdrEvent[] = [];
    for await (const e of sensor) got.push(e);
    // sensor.start (seq 1) was queued at open, sensor.stop at the end of input.
    expect(got.map((e) => e.kind)).toEqual(['sensor.start', ...Array(5).fill('process.exec'), 'sensor.stop']);
    expect(got.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('filters by kind, pid, exe glob and excludes its own process', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, kinds: ['process.exec'], filter: { exe: ['/usr/bin/*sh'] } });
    backend.emit([
      execDraft(20, '/usr/bin/bash'),
      execDraft(21, '/usr/bin/python3'),
      execDraft(process.pid, '/usr/bin/zsh'),
      { kind: 'file.create', time: 1, platform: 'linux', source: 'linux-ebpf', file: { path: '/tmp/x' }, process: { pid: 20, ppid: 1, exe: '/usr/bin/bash', args: [], cmdline: '' } },
    ]);
    backend.end();
    const got: EdrEvent[] = [];
    for await (const e of sensor) got.push(e);
    expect(got.map((e) => e.kind === 'process.exec' && e.process.pid)).toEqual([20]);
    expect(sensor.stats()).toMatchObject({ received: 4, filtered: 3, accepted: 1, delivered: 1 });
  });

  it('resolves lineage from the process table and from the backend lookup', async () => {
    const backend = Object.assign(new MemoryBackend(), {
      lookupProcess: (pid: number) => (pid === 1 ? { pid: 1, exe: '/sbin/init' } : undefined),
    });
    const sensor = await openSensor({ backend });
    backend.emit([execDraft(100, '/bin/sh', ['sh', '-c', 'ls'], { ppid: 1 }), execDraft(101, '/bin/ls', ['ls'], { ppid: 100 })]);
    backend.end();
    const got: EdrEvent[] = [];
    for await (const e of sensor) got.push(e);
    const [sh, ls] = real(got);
    expect(sh?.process.parent).toEqual({ pid: 1, exe: '/sbin/init' });
    expect(ls?.process.parent).toEqual({ pid: 100, exe: '/bin/sh', cmdline: 'sh -c ls' });
  });

  it('rejects bad options with errors that name them', async () => {
    const backend = new MemoryBackend();
    await expect(openSensor({ backend, maxQueue: 0 })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', message: /maxQueue/ });
    await expect(openSensor({ backend, kinds: ['proc.exec' as never] })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', message: /unknown kind "proc.exec"/ });
    await expect(openSensor({ backend, overflow: 'block' as never })).rejects.toMatchObject({ message: /overflow must be one of/ });
    await expect(openSensor({ backend, filter: { pids: [-1] } })).rejects.toMatchObject({ message: /filter.pids/ });
  });

  it('an unsupported kind named explicitly is ERR_NOT_SUPPORTED with the reason', async () => {
    const backend = new MemoryBackend();
    const probe = await backend.probe();
    backend.probe = async () => ({ ...probe, kinds: { ...probe.kinds, 'registry.set': { supported: false, reason: 'no registry on Linux' } } });
    await expect(openSensor({ backend, kinds: ['registry.set'] })).rejects.toMatchObject({ code: 'ERR_NOT_SUPPORTED', message: /no registry on Linux/ });
    const s = await openSensor({ backend, kinds: ['registry.set', 'process.exec'], unsupportedKinds: 'ignore' });
    expect([...s.kinds].sort()).toEqual(['process.exec', 'sensor.lost']);
    await s.close();
  });

  it('optionalKinds are left out when unsupported; named ones stay strict; all-optional and none produced is ERR_NOT_SUPPORTED', async () => {
    const backend = new MemoryBackend();
    const probe = await backend.probe();
    backend.probe = async () => ({ ...probe, kinds: { ...probe.kinds, 'registry.set': { supported: false, reason: 'no registry on Linux' }, 'registry.create': { supported: false, reason: 'no registry on Linux' } } });
    const s = await openSensor({ backend, kinds: ['registry.set', 'process.exec'], optionalKinds: ['registry.set'] });
    expect([...s.kinds].sort()).toEqual(['process.exec', 'sensor.lost']);
    await s.close();
    await expect(openSensor({ backend, kinds: ['registry.set', 'registry.create'], optionalKinds: ['registry.set'] })).rejects.toMatchObject({ code: 'ERR_NOT_SUPPORTED', message: /cannot produce 'registry.create' here: no registry on Linux/ });
    await expect(openSensor({ backend, kinds: ['registry.set', 'registry.create'], optionalKinds: ['registry.set', 'registry.create'] })).rejects.toMatchObject({
      code: 'ERR_NOT_SUPPORTED',
      message: /produces none of the selected kinds here \(registry.set, registry.create\)/,
    });
  });
});
