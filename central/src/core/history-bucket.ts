import type { HistoryPoint } from './sync-records.js';

/** One edge's counts of one site over one minute: a history point per zone, keyed `lot/zone`. */
export type HistoryBucket = Record<string, Omit<HistoryPoint, 'siteId' | 'bucketMs'>>;

/**
 * Merges a batch's points (all of one bucket) into the stored bucket: ranges widen, samples add up and
 * the newest window's counts win. Pure, so both stores merge identically.
 */
export function mergeHistoryBucket(stored: HistoryBucket | undefined, points: readonly HistoryPoint[]): HistoryBucket {
  const merged: HistoryBucket = { ...stored };
  for (const { siteId: _site, bucketMs: _bucket, ...point } of points) {
    const key = `${point.lotId}/${point.zoneId}`;
    const before = merged[key];
    if (!before) {
      merged[key] = point;
      continue;
    }
    const newer = point.lastMs >= before.lastMs ? point : before;
    merged[key] = {
      ...newer,
      freeMin: Math.min(before.freeMin, point.freeMin),
      freeMax: Math.max(before.freeMax, point.freeMax),
      samples: before.samples + point.samples,
      lastMs: Math.max(before.lastMs, point.lastMs),
    };
  }
  return merged;
}

/** Groups a batch's history points by bucket. */
export function pointsByBucket(points: readonly HistoryPoint[]): Map<number, HistoryPoint[]> {
  const byBucket = new Map<number, HistoryPoint[]>();
  for (const point of points) {
    const list = byBucket.get(point.bucketMs);
    if (list) list.push(point);
    else byBucket.set(point.bucketMs, [point]);
  }
  return byBucket;
}

/**
 * Expands stored buckets (one row per site, minute and edge) into points, filtered by lot/zone, sorted by
 * time, lot and zone. Where two edges reported the same zone in a minute, the newer report wins.
 */
export function historyPointsOf(
  rows: ReadonlyArray<{ siteId: string; bucketMs: number; bucket: HistoryBucket }>,
  lotId: string | undefined,
  zoneId: string | undefined,
  limit: number,
): HistoryPoint[] {
  const byKey = new Map<string, HistoryPoint>();
  for (const row of rows) {
    for (const point of Object.values(row.bucket)) {
      if (lotId !== undefined && point.lotId !== lotId) continue;
      if (zoneId !== undefined && point.zoneId !== zoneId) continue;
      const key = `${row.bucketMs}\u0000${point.lotId}\u0000${point.zoneId}`;
      const seen = byKey.get(key);
      if (!seen || point.lastMs > seen.lastMs) byKey.set(key, { siteId: row.siteId, bucketMs: row.bucketMs, ...point });
    }
  }
  return [...byKey.values()]
    .sort((a, b) => a.bucketMs - b.bucketMs || a.lotId.localeCompare(b.lotId) || a.zoneId.localeCompare(b.zoneId))
    .slice(0, limit);
}
