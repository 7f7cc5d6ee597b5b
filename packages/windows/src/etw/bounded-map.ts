/**
 * A Map that forgets its oldest entries beyond a size: the per-session tables (process
 * images, file objects, UDP flows seen) stay bounded however long the sensor runs.
 *
 * @module
 */

/** A size-capped Map (insertion order: the oldest entry goes first). */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
