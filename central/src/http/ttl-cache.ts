import type { Clock } from '@citybay/common';
import { LruMap } from './lru-map.js';

interface Entry<V> {
  value: V;
  loadedMs: number;
}

/**
 * Caches slow-changing lookups (edge credentials, site definitions) for a short time so the ingest path does not
 * query them per request; a miss or an expired entry loads again. Bounded: at most `maxEntries` found values and,
 * apart, at most `maxMisses` keys found absent, each dropping its least recently used one beyond that — so a flood
 * of unknown keys (random edge ids) neither grows memory nor pushes out the known ones.
 */
export class TtlCache<V> {
  private readonly hits: LruMap<Entry<V>>;
  private readonly misses: LruMap<number>;

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    maxEntries = 10_000,
    maxMisses = 1_000,
  ) {
    this.hits = new LruMap(maxEntries);
    this.misses = new LruMap(maxMisses);
  }

  async get(key: string, load: () => Promise<V | undefined>, maxAgeMs = this.ttlMs): Promise<V | undefined> {
    const nowMs = this.clock.nowMs();
    const hit = this.hits.get(key);
    if (hit && nowMs - hit.loadedMs <= maxAgeMs) return hit.value;
    const missMs = this.misses.get(key);
    if (!hit && missMs !== undefined && nowMs - missMs <= maxAgeMs) return undefined;
    const value = await load();
    if (value === undefined) {
      this.hits.delete(key);
      this.misses.set(key, nowMs);
    } else {
      this.misses.delete(key);
      this.hits.set(key, { value, loadedMs: nowMs });
    }
    return value;
  }

  /** The value held for `key` whatever its age, without loading (undefined when none is held). */
  peek(key: string): V | undefined {
    return this.hits.get(key)?.value;
  }

  ageMs(key: string): number {
    const entry = this.hits.get(key);
    return entry ? this.clock.nowMs() - entry.loadedMs : Number.POSITIVE_INFINITY;
  }

  delete(key: string): void {
    this.hits.delete(key);
    this.misses.delete(key);
  }

  /** Found values and absent keys held. */
  get size(): { entries: number; misses: number } {
    return { entries: this.hits.size, misses: this.misses.size };
  }
}
