import { describe, expect, it } from 'vitest';
import type { BackendStartOptions, EventSink } from '../backend.js';
import type { EdrEvent, EventDraft } from '../events/schema.js';
import { MemoryBackend, execDraft } from '../testing/memory-backend.js';
import { openSensor } from './open-sensor.js';

/** A memory backend that keeps the options it was started with. */
class RecordingBackend extends MemoryBackend {
  started: BackendStartOptions | undefined;
  override async start(options: BackendStartOptions, sink: EventSink): Promise<void> {
    this.started = options;
    await super.start(options, sink);
  }
}

function open(path: string, type?: 'block'): EventDraft {
  const base = execDraft(4242, '/usr/bin/dd');
  if (base.kind !== 'process.exec') throw new Error('execDraft gives a process.exec');
  return { kind: 'file.open', time: base.time, platform: 'linux', source: 'replay', process: base.process, file: type ? { path, type } : { path }, flags: ['read'] };
}

async function deliver(kinds: EdrEvent['kind'][] | undefined) {
  const backend = new RecordingBackend();
  const sensor = await openSensor({ backend, ...(kinds ? { kinds } : {}) });
  backend.emit([open('/etc/hosts'), open('/dev/vda', 'block')]);
  backend.end();
  const got: EdrEvent[] = [];
  for await (const e of sensor) if (e.kind === 'file.open') got.push(e);
  return { backend, got: got.map((e) => (e.kind === 'file.open' ? e.file.path : '')) };
}

describe('file.open by default: block devices only (raw access reads)', () => {
  it('left to the default, only opens of block devices are delivered and the backend is told so', async () => {
    const { backend, got } = await deliver(undefined);
    expect(got).toEqual(['/dev/vda']);
    expect(backend.started?.fileOpen).toBe('block-devices');
    expect(backend.started?.kinds).toContain('file.open');
  });
  it('asked for by name, every open is delivered', async () => {
    const { backend, got } = await deliver(['file.open']);
    expect(got).toEqual(['/etc/hosts', '/dev/vda']);
    expect(backend.started?.fileOpen).toBeUndefined();
  });
  it('not named in an explicit list, none', async () => {
    const { got } = await deliver(['process.exec']);
    expect(got).toEqual([]);
  });
});
