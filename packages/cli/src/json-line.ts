/**
 * `JSON.stringify(event)`, faster for runs of events from one process. Backends share the
 * `process` and `raw` objects between consecutive events of a process (the Linux backend's
 * process views) and never change a shared object; most of a line is that process (its
 * arguments, command line, parent), so serializing it once per run instead of once per event
 * roughly halves the CLI's formatting cost in a storm. The text is exactly what
 * `JSON.stringify` gives: same keys, same order, same escapes.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';

/** Keys remembered at most (event objects have a few dozen; a hostile recording cannot grow this). */
const MAX_KEYS = 256;

/** One remembered value: the object and its JSON text. */
interface Slot {
  value: object | undefined;
  json: string;
}

/**
 * A JSON serializer of events that remembers the JSON of the last `process` and `raw`
 * objects it saw (by identity: one slot each, so it holds at most two strings). Only valid
 * while a remembered object is not modified — true of events as the sensor delivers them.
 */
export class EventJson {
  private readonly slots: Record<'process' | 'raw', Slot> = { process: { value: undefined, json: '' }, raw: { value: undefined, json: '' } };

  /** `"key":` per top-level key (a few dozen at most: the event kinds' payload keys). */
  private readonly keys = new Map<string, string>();

  /** The event as `JSON.stringify(event)` writes it. */
  stringify(event: EdrEvent): string {
    const e = event as unknown as Record<string, unknown>;
    let out = '{';
    for (const key of Object.keys(e)) {
      const value = e[key];
      let json: string | undefined;
      if ((key === 'process' || key === 'raw') && typeof value === 'object' && value !== null) {
        const slot = this.slots[key];
        if (slot.value !== value) {
          slot.value = value;
          slot.json = JSON.stringify(value);
        }
        json = slot.json;
      } else if (typeof value === 'number') {
        json = Number.isFinite(value) ? String(value) : 'null';
      } else {
        // undefined for what JSON leaves out (undefined, functions, symbols).
        json = JSON.stringify(value);
      }
      if (json === undefined) continue;
      let name = this.keys.get(key);
      if (name === undefined) {
        name = `${JSON.stringify(key)}:`;
        if (this.keys.size < MAX_KEYS) this.keys.set(key, name);
      }
      out += out.length > 1 ? `,${name}${json}` : `${name}${json}`;
    }
    return `${out}}`;
  }
}
