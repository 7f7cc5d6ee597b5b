import { describe, expectTypeOf, it } from 'vitest';
import type { EdrEvent, EventOfKind } from '../events/schema.js';
import type { Sensor } from './sensor.js';

declare const sensor: Sensor;

describe('Sensor.on types', () => {
  it("narrows the listener's event to the kind", () => {
    sensor.on('process.exec', (e) => {
      expectTypeOf(e).toEqualTypeOf<EventOfKind<'process.exec'>>();
      expectTypeOf(e.process.args).toEqualTypeOf<string[]>();
    });
    sensor.on('net.connect', (e) => {
      expectTypeOf(e.net.remote.port).toEqualTypeOf<number>();
      // @ts-expect-error a net event has no file
      void e.file;
    });
    sensor.on('sensor.lost', (e) => {
      expectTypeOf(e.lost.count).toEqualTypeOf<number>();
      // @ts-expect-error sensor.lost carries no process
      void e.process.pid;
    });
    sensor.on('*', (e) => expectTypeOf(e).toEqualTypeOf<EdrEvent>());
    // @ts-expect-error not a kind
    sensor.on('proc.exec', () => {});
  });

  it('iterates EdrEvent and narrows on kind', async () => {
    for await (const e of sensor) {
      expectTypeOf(e).toEqualTypeOf<EdrEvent>();
      if (e.kind === 'file.rename') expectTypeOf(e.target.path).toEqualTypeOf<string>();
    }
  });
});
