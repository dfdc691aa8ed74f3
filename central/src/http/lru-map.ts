/** A map that drops its least recently used entry beyond `maxEntries` (a Map iterates in insertion order). */
export class LruMap<V> {
  private readonly map = new Map<string, V>();

  constructor(readonly maxEntries: number) {}

  /** The value of `key`, which becomes the most recently used. */
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value!);
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  get size(): number {
    return this.map.size;
  }
}
