/**
 * Loss detection from Endpoint Security's sequence numbers. Every message carries `seq_num`
 * (per event type, per client) and, from message version 2, `global_seq_num` (per client,
 * across types); ES increments them even for messages it had to drop, so a gap is a count of
 * lost messages. The global number gives the total; the per-type number says which types
 * lost how many (kept as counters). A number that goes back means a new client (eslogger was
 * restarted, or captures were concatenated): the count starts again, nothing is claimed lost.
 *
 * @module
 */

/** A gap found before a message. */
export interface SequenceGap {
  count: number;
  reason: string;
}

/** Tracks sequence numbers across the messages of one client. */
export class SequenceTracker {
  private lastGlobal: number | undefined;
  private readonly lastByType = new Map<string, number>();
  /** Messages lost, per ES event name (from `seq_num` gaps). */
  readonly lostByType = new Map<string, number>();
  /** Messages lost in total. */
  lost = 0;

  /** Note one message; returns the gap before it, if any. */
  observe(type: string, seq: number | undefined, global: number | undefined): SequenceGap | undefined {
    let typeGap = 0;
    if (seq !== undefined) {
      const last = this.lastByType.get(type);
      if (last !== undefined && seq > last + 1) typeGap = seq - last - 1;
      this.lastByType.set(type, seq);
      if (typeGap > 0) this.lostByType.set(type, (this.lostByType.get(type) ?? 0) + typeGap);
    }
    if (global !== undefined) {
      const last = this.lastGlobal;
      this.lastGlobal = global;
      if (last === undefined || global <= last) {
        if (last !== undefined) this.lastByType.clear(); // a new client: its per-type numbers restart too
        if (last !== undefined && seq !== undefined) this.lastByType.set(type, seq);
        return undefined;
      }
      const gap = global - last - 1;
      if (gap <= 0) return undefined;
      this.lost += gap;
      return { count: gap, reason: `Endpoint Security dropped ${gap} message(s) before this one (global_seq_num ${last} → ${global}${typeGap > 0 ? `; ${typeGap} of them ${type}` : ''})` };
    }
    if (typeGap <= 0) return undefined;
    this.lost += typeGap;
    return { count: typeGap, reason: `Endpoint Security dropped ${typeGap} ${type} message(s) (seq_num gap)` };
  }
}
