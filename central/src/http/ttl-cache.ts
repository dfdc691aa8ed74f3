import type { Clock } from '@citybay/common';

/**
 * Caches slow-changing lookups (edge credentials, site definitions) for a short time so the ingest path
 * does not query them per request; a miss or an expired entry loads again.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V | undefined; loadedMs: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, load: () => Promise<V | undefined>, maxAgeMs = this.ttlMs): Promise<V | undefined> {
    const entry = this.entries.get(key);
    const nowMs = this.clock.nowMs();
    if (entry && nowMs - entry.loadedMs <= maxAgeMs) return entry.value;
    const value = await load();
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, loadedMs: nowMs });
    return value;
  }

  ageMs(key: string): number {
    const entry = this.entries.get(key);
    return entry ? this.clock.nowMs() - entry.loadedMs : Number.POSITIVE_INFINITY;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }
}
