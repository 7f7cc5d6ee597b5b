// The new-backend checklist of docs/architecture.md, proven from outside: a backend package
// that imports only `edrkit`'s public API, registered through the public table API and opened
// by `openSensor` by name, like the backends edrkit ships.
import { describe, expect, it } from 'vitest';
import { backends, createBackend, openSensor, sourceSchema, type EdrEvent } from 'edrkit';
import { echoDescriptor } from '../fixtures/external-backend/index.js';

backends.register(echoDescriptor);

async function collect(sensor: AsyncIterable<EdrEvent>): Promise<EdrEvent[]> {
  const out: EdrEvent[] = [];
  for await (const e of sensor) out.push(e);
  return out;
}

describe('a backend defined outside the repository', () => {
  it('is opened by openSensor by id, with its options checked by its schema', async () => {
    expect(backends.ids).toContain('echo-test');
    await using sensor = await openSensor({ backend: 'echo-test', backendConfig: { count: 3 }, kinds: ['process.exec'], filter: { includeSelf: true } });
    const events = (await collect(sensor)).filter((e) => e.kind === 'process.exec');
    expect(events.map((e) => e.process.args)).toEqual([['echo', '0'], ['echo', '1'], ['echo', '2']]);
    expect(events.every((e) => e.source === 'echo-test')).toBe(true);
    expect(sourceSchema().safeParse('echo-test').success).toBe(true);
    expect(sourceSchema().safeParse('no-such-backend').success).toBe(false);
  });

  it('gets the OS-API object passed to openSensor', async () => {
    await using sensor = await openSensor({ backend: 'echo-test', backendConfig: { count: 1 }, osApi: { pid: () => 777 }, kinds: ['process.exec'], filter: { includeSelf: true } });
    const [exec] = (await collect(sensor)).filter((e) => e.kind === 'process.exec');
    expect(exec?.process.pid).toBe(777);
  });

  it('rejects bad options naming the backend and the field', async () => {
    await expect(openSensor({ backend: 'echo-test', backendConfig: { count: -1 } })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
      message: expect.stringMatching(/^backend 'echo-test' options: count: /),
    });
    await expect(openSensor({ backend: 'echo-test', backendConfig: { colour: 'red' } })).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', message: expect.stringContaining('colour') });
  });

  it('throws the same error from openSensor and from its own start() when its probe says no', async () => {
    const viaOpen = await openSensor({ backend: 'echo-test', backendConfig: { unavailable: true } }).catch((e: unknown) => e);
    const backend = await createBackend('echo-test', { unavailable: true });
    const viaStart = await backend.start({ kinds: [], filter: {}, signal: new AbortController().signal }, undefined as never).catch((e: unknown) => e);
    expect(viaOpen).toMatchObject({ name: 'BackendUnavailableError', code: 'ERR_PERMISSION', backend: 'echo-test' });
    expect(viaStart).toMatchObject({ name: (viaOpen as Error).name, code: (viaOpen as { code: string }).code, message: (viaOpen as Error).message });
  });

  it('lists unknown ids with every registered choice', async () => {
    await expect(createBackend('nope')).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT', message: "unknown backend 'nope'; choose one of: auto, linux-ebpf, windows-etw, windows-eventlog, windows-minifilter, macos-eslogger, macos-es, replay, echo-test" });
  });
});
