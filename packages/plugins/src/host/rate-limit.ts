/**
 * A token bucket per plugin and message kind: `burst` messages at once, refilled at
 * `perSecond`. A plugin that floods alerts or logs has the excess dropped (and counted) by
 * the host instead of growing the host's memory or drowning the other plugins' output.
 *
 * @module
 */

/** A token bucket. */
export class TokenBucket {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(perSecond: number, burst: number, now: () => number = Date.now) {
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#tokens = burst;
    this.#now = now;
    this.#at = now();
  }

  /** Take one token; false when the bucket is empty (the message is to be dropped). */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) / 1000) * this.#perSecond);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
