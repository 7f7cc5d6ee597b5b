import { describe, expect, it } from 'vitest';
import { parseEvent } from '../events/parse.js';
import { EVENT_MODEL_VERSION, type EdrEvent } from '../events/schema.js';
import { ReplayBackend } from '../replay/replay-backend.js';
import { MemoryBackend, execDraft } from '../testing/memory-backend.js';
import { openSensor } from './open-sensor.js';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { EDRKIT_CORE_VERSION } from '../version.js';

async function collect(sensor: AsyncIterable<EdrEvent>): Promise<EdrEvent[]> {
  const got: EdrEvent[] = [];
  for await (const e of sensor) got.push(e);
  return got;
}

describe('sensor.start / sensor.stop', () => {
  it('start is the first event, with the model version; stop is the last, before the iterator ends', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend });
    const it = sensor.events();
    backend.emit([execDraft(10, '/bin/a')]);
    backend.end();
    const got = await collect(it);
    expect(got.map((e) => e.kind)).toEqual(['sensor.start', 'process.exec', 'sensor.stop']);
    const [start, , stop] = got;
    for (const e of got) expect(() => parseEvent(e)).not.toThrow();
    expect(start?.kind === 'sensor.start' && start.sensor).toMatchObject({ backend: 'replay', model: EVENT_MODEL_VERSION, version: '0.1.0' });
    expect(start?.kind === 'sensor.start' && start.sensor.kinds).toContain('process.exec');
    expect(start?.kind === 'sensor.start' && start.process.pid).toBe(process.pid);
    expect(stop?.kind === 'sensor.stop' && stop.sensor.reason).toBe('end of input');
    // Not counted as backend events.
    expect(sensor.stats()).toMatchObject({ received: 1, accepted: 1, delivered: 1 });
  });

  it('stop reaches every iterator and listener on close(), even with a full queue', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend, maxQueue: 2 });
    const it = sensor.events();
    const heard: string[] = [];
    sensor.on('sensor.stop', (e) => heard.push(e.sensor.reason ?? ''));
    backend.emit([execDraft(1, '/bin/a'), execDraft(2, '/bin/b'), execDraft(3, '/bin/c')]);
    await sensor.close();
    const kinds = (await collect(it)).map((e) => e.kind);
    expect(kinds.at(-1)).toBe('sensor.stop');
    expect(kinds).toContain('sensor.lost');
    expect(heard).toEqual(['closed']);
  });

  it('a fatal backend error delivers stop (with the error) before the iterator throws', async () => {
    const backend = new MemoryBackend();
    const sensor = await openSensor({ backend });
    const it = sensor.events();
    (backend as unknown as { sink: { error(e: Error): void } }).sink.error(new Error('ring gone'));
    const got: EdrEvent[] = [];
    await expect((async () => { for await (const e of it) got.push(e); })()).rejects.toThrow('ring gone');
    expect(got.map((e) => e.kind)).toEqual(['sensor.start', 'sensor.stop']);
    expect(got[1]?.kind === 'sensor.stop' && got[1].sensor.reason).toBe('error: ring gone');
  });

  it('is opt-out, and an explicit kinds list gets them only when it names them', async () => {
    for (const [options, expected] of [
      [{ lifecycleEvents: false }, ['process.exec']],
      [{ kinds: ['process.exec'] as const }, ['process.exec']],
      [{ kinds: ['process.exec', 'sensor.stop'] as const }, ['process.exec', 'sensor.stop']],
    ] as const) {
      const backend = new MemoryBackend();
      const sensor = await openSensor({ backend, ...options, kinds: 'kinds' in options ? [...options.kinds] : undefined });
      backend.emit([execDraft(1, '/bin/a')]);
      backend.end();
      expect((await collect(sensor)).map((e) => e.kind), JSON.stringify(options)).toEqual(expected);
    }
  });

  it('carries the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(EDRKIT_CORE_VERSION).toBe(pkg.version);
  });

  it('a replay sensor adds none of its own: the recording carries the original ones', async () => {
    const lines = [
      { kind: 'sensor.start', time: 1, seq: 1, platform: 'linux', source: 'linux-ebpf', process: { pid: 9, ppid: 1, exe: '/usr/bin/node', args: ['node'], cmdline: 'node' }, sensor: { version: '0.1.0', backend: 'linux-ebpf', kinds: ['process.exec'], model: '1.1' } },
      { ...execDraft(5, '/bin/x'), seq: 2 },
    ];
    const input = Readable.from(lines.map((l) => `${JSON.stringify(l)}\n`));
    const sensor = await openSensor({ backend: new ReplayBackend({ input }) });
    expect((await collect(sensor)).map((e) => e.kind)).toEqual(['sensor.start', 'process.exec']);
  });
});
