/**
 * The backend conformance suite: every backend (live or replay) must pass it.
 * Call it from a vitest file:
 *
 * ```ts
 * import { describeBackendConformance } from '@edrkit/core/testing';
 * describeBackendConformance('linux-ebpf', { create: () => new LinuxEbpfBackend(), trigger: runSomeCommands });
 * ```
 *
 * @module
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../backend.js';
import { EdrkitError } from '../errors.js';
import { parseEvent } from '../events/parse.js';
import { OBSERVABLE_KINDS, type EdrEvent, type EventKind } from '../events/schema.js';
import { openSensor } from '../sensor/open-sensor.js';

/** How to exercise a backend in the conformance suite. */
export interface ConformanceOptions {
  /** A fresh backend instance (called once per test). */
  create: () => Backend;
  /** Cause activity the backend will observe (run commands, …). Not needed for recordings. */
  trigger?: () => Promise<void>;
  /** Kinds to request (default: the backend's default set). */
  kinds?: readonly EventKind[];
  /** Stop collecting after this many events (default 50). */
  enough?: number;
  /** Give up collecting after this many milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Skip the live part with this reason (e.g. not root); probe checks still run. */
  skipLive?: string | false;
  /** The backend is expected to be unavailable here (a negative case): only the probe and start-failure checks are registered. */
  unavailable?: boolean;
}

/** Register the conformance tests for one backend. */
export function describeBackendConformance(name: string, options: ConformanceOptions): void {
  describe(`backend conformance: ${name}`, () => {
    it('probe reports every observable kind, with a reason for each unsupported one', async () => {
      const probe = await options.create().probe();
      expect(typeof probe.id).toBe('string');
      expect(typeof probe.available).toBe('boolean');
      if (!probe.available) expect(probe.reason, 'an unavailable backend says why').toBeTruthy();
      for (const kind of OBSERVABLE_KINDS) {
        const s = probe.kinds[kind];
        expect(s, `probe.kinds['${kind}']`).toBeDefined();
        if (s && !s.supported) expect(s.reason, `reason for unsupported ${kind}`).toBeTruthy();
      }
    });

    if (options.unavailable) {
      it('is unavailable, and start fails with a coded EdrkitError', async () => {
        const backend = options.create();
        const probe = await backend.probe();
        expect(probe.available).toBe(false);
        const err = await openSensor({ backend }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(EdrkitError);
        expect((err as EdrkitError).code).toMatch(/^ERR_/);
      });
      return;
    }

    it.skipIf(!!options.skipLive)(`delivers valid, ordered events and stops cleanly${options.skipLive ? ` (skipped: ${options.skipLive})` : ''}`, async () => {
      const backend = options.create();
      const probe = await backend.probe();
      expect(probe.available, probe.reason).toBe(true);
      const sensor = await openSensor({ backend, ...(options.kinds ? { kinds: options.kinds } : {}) });
      const events: EdrEvent[] = [];
      const enough = options.enough ?? 50;
      const timer = setTimeout(() => void sensor.close(), options.timeoutMs ?? 10_000);
      const triggering = options.trigger?.();
      for await (const e of sensor) {
        events.push(e);
        if (events.length >= enough) break;
      }
      await triggering;
      clearTimeout(timer);
      await sensor.close();
      await sensor.close(); // idempotent
      expect(events.length).toBeGreaterThan(0);
      // The sensor's own start event, when delivered, comes first (core emits it, not the backend).
      const start = events.findIndex((e) => e.kind === 'sensor.start');
      if (start !== -1) expect(start).toBe(0);
      let last = 0;
      for (const e of events) {
        expect(() => parseEvent(e)).not.toThrow();
        expect(e.seq).toBeGreaterThan(last);
        last = e.seq;
        expect(sensor.kinds.has(e.kind), `unrequested kind ${e.kind}`).toBe(true);
        if (e.kind !== 'sensor.lost' && e.source !== 'replay') expect(e.platform).toBe(backend.platform);
      }
      const stats = sensor.stats();
      expect(typeof stats.backend.received).toBe('number');
      expect(typeof stats.backend.lost).toBe('number');
    });
  });
}
